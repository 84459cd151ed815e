package io.rvi.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.HostPort;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parser on payloads recorded from real Sentinels, and on malformed ones. */
class SentinelEventParserTest {
    private static final HostPort SRC = new HostPort("127.0.0.3", 27113);
    private final SentinelEventParser parser = new SentinelEventParser();

    private SentinelEvent ok(String channel, String payload) {
        SentinelEventParser.Parsed p = parser.parse(SRC, 42, channel, payload);
        assertTrue(p.ok(), () -> channel + " " + payload + ": " + p.problem());
        assertEquals(SRC, p.event().source());
        assertEquals(42, p.event().receivedAt());
        assertEquals(channel, p.event().channel());
        assertEquals(payload, p.event().payload());
        return p.event();
    }

    @Test
    void everyRecordedPayloadParsesAndNoKnownTypeFallsToOther() {
        Set<SentinelEventType> seen = EnumSet.noneOf(SentinelEventType.class);
        int n = 0;
        for (String dir : List.of("failover", "failover-aborted")) {
            for (Recording.Line l : Recording.load(dir)) {
                SentinelEvent e = ok(l.channel(), l.payload());
                assertTrue(e.type() != SentinelEventType.OTHER, "recorded channel " + l.channel() + " has a type");
                seen.add(e.type());
                n++;
            }
        }
        assertTrue(n > 100, "recordings loaded: " + n);
        for (SentinelEventType t : List.of(SentinelEventType.SWITCH_MASTER, SentinelEventType.SDOWN, SentinelEventType.SDOWN_CLEARED,
                SentinelEventType.ODOWN, SentinelEventType.ODOWN_CLEARED, SentinelEventType.TRY_FAILOVER,
                SentinelEventType.ELECTED_LEADER, SentinelEventType.PROMOTED_SLAVE, SentinelEventType.SELECTED_SLAVE,
                SentinelEventType.FAILOVER_STATE_SELECT_SLAVE, SentinelEventType.FAILOVER_STATE_SEND_SLAVEOF_NOONE,
                SentinelEventType.FAILOVER_STATE_WAIT_PROMOTION, SentinelEventType.FAILOVER_STATE_RECONF_SLAVES,
                SentinelEventType.FAILOVER_END, SentinelEventType.FAILOVER_ABORT, SentinelEventType.CONVERT_TO_SLAVE,
                SentinelEventType.SLAVE, SentinelEventType.SENTINEL, SentinelEventType.SLAVE_RECONF_SENT,
                SentinelEventType.SLAVE_RECONF_INPROG, SentinelEventType.SLAVE_RECONF_DONE, SentinelEventType.TILT,
                SentinelEventType.TILT_CLEARED, SentinelEventType.NEW_EPOCH, SentinelEventType.VOTE_FOR_LEADER,
                SentinelEventType.CONFIG_UPDATE_FROM, SentinelEventType.RESET_MASTER, SentinelEventType.MONITOR,
                SentinelEventType.UNMONITOR, SentinelEventType.SET, SentinelEventType.ROLE_CHANGE,
                SentinelEventType.ROLE_CHANGE_UNEXPECTED, SentinelEventType.REBOOT)) {
            assertTrue(seen.contains(t), "the recordings hold a " + t);
        }
    }

    @Test
    void switchMaster() {
        SentinelEvent e = ok("+switch-master", "mymaster 127.0.0.1 27101 127.0.0.2 27102");
        assertEquals(SentinelEventType.SWITCH_MASTER, e.type());
        assertEquals("mymaster", e.masterName());
        assertEquals(new HostPort("127.0.0.1", 27101), e.masterAddress());
        assertEquals(new HostPort("127.0.0.2", 27102), e.newMasterAddress());
        assertTrue(e.aboutMaster());
        assertEquals("127.0.0.2:27102", e.toJson().getString("new_master_address"));
    }

    @Test
    void masterInstanceWithDetail() {
        SentinelEvent e = ok("+odown", "master mymaster 127.0.0.1 27101 #quorum 3/2");
        assertEquals(SentinelEventType.ODOWN, e.type());
        assertEquals("master", e.instanceType());
        assertEquals("mymaster", e.instanceName());
        assertEquals(new HostPort("127.0.0.1", 27101), e.instanceAddress());
        assertEquals("mymaster", e.masterName());
        assertEquals(e.instanceAddress(), e.masterAddress());
        assertEquals("#quorum 3/2", e.detail());
        assertNull(e.newMasterAddress());
        assertEquals("quorum 2", ok("+monitor", "master mymaster 127.0.0.2 27102 quorum 2").detail());
    }

    @Test
    void replicaAndSentinelInstancesNameTheirMaster() {
        SentinelEvent e = ok("+promoted-slave", "slave 127.0.0.2:27102 127.0.0.2 27102 @ mymaster 127.0.0.1 27101");
        assertEquals("slave", e.instanceType());
        assertEquals("127.0.0.2:27102", e.instanceName());
        assertEquals(new HostPort("127.0.0.2", 27102), e.instanceAddress());
        assertEquals("mymaster", e.masterName());
        assertEquals(new HostPort("127.0.0.1", 27101), e.masterAddress());
        assertNull(e.detail());
        assertFalse(e.aboutMaster());

        SentinelEvent s = ok("+sentinel", "sentinel 4b949a70cac21d9c058173ce73b4e0b77e2d6afa 127.0.0.3 27113 @ mymaster 127.0.0.1 27101");
        assertEquals("sentinel", s.instanceType());
        assertEquals("4b949a70cac21d9c058173ce73b4e0b77e2d6afa", s.instanceName());

        SentinelEvent r = ok("-role-change", "slave 127.0.0.1:27101 127.0.0.1 27101 @ mymaster 127.0.0.2 27102 new reported role is master");
        assertEquals(SentinelEventType.ROLE_CHANGE_UNEXPECTED, r.type());
        assertEquals("new reported role is master", r.detail());
    }

    @Test
    void epochVoteTiltAndAbort() {
        SentinelEvent epoch = ok("+new-epoch", "7");
        assertEquals(7L, epoch.epoch());
        assertNull(epoch.masterName());
        SentinelEvent vote = ok("+vote-for-leader", "4b949a70cac21d9c058173ce73b4e0b77e2d6afa 7");
        assertEquals(7L, vote.epoch());
        assertEquals("4b949a70cac21d9c058173ce73b4e0b77e2d6afa", vote.instanceName());
        SentinelEvent tilt = ok("+tilt", "#tilt mode entered");
        assertEquals(SentinelEventType.TILT, tilt.type());
        assertEquals("#tilt mode entered", tilt.detail());
        assertEquals(SentinelEventType.TILT_CLEARED, ok("-tilt", "#tilt mode exited").type());
        SentinelEvent abort = ok("-failover-abort-no-good-slave", "master mymaster 127.0.0.1 27101");
        assertEquals(SentinelEventType.FAILOVER_ABORT, abort.type());
        assertEquals("no-good-slave", abort.abortReason());
        assertEquals("-failover-abort-*", abort.type().label());
        assertEquals("+failover-end-for-timeout", ok("+failover-end-for-timeout", "master mymaster 127.0.0.1 27101").type().label());
    }

    @Test
    void unknownChannelsAreKeptAsOther() {
        SentinelEvent e = ok("+brand-new-thing", "master mymaster 10.0.0.1 6379 extra words");
        assertEquals(SentinelEventType.OTHER, e.type());
        assertEquals("other", e.type().label());
        assertEquals("mymaster", e.masterName());
        SentinelEvent text = ok("__sentinel__:hello", "10.0.0.1,26379,abc,0,mymaster,10.0.0.1,6379,0");
        assertEquals(SentinelEventType.OTHER, text.type());
        assertNull(text.masterName());
        assertEquals(text.payload(), text.detail());
        SentinelEvent cluster = ok("+cluster-whatever", "anything at all");
        assertEquals(SentinelEventType.CLUSTER, cluster.type());
        assertEquals("+cluster-*", cluster.type().label());
        assertNotNull(ok("-failover-abort-", "x y").type()); // a bare prefix is not an abort
        assertEquals(SentinelEventType.OTHER, SentinelEventType.of("-failover-abort-"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "+switch-master|garbage",
        "+switch-master|mymaster 127.0.0.1 27101 127.0.0.2",
        "+switch-master|mymaster 127.0.0.1 notaport 127.0.0.2 27102",
        "+switch-master|mymaster 127.0.0.1 0 127.0.0.2 27102",
        "+switch-master|mymaster 127.0.0.1 70000 127.0.0.2 27102",
        "+switch-master|NULL",
        "+sdown|master mymaster 127.0.0.1",
        "+sdown|replica x 127.0.0.1 6379",
        "+sdown|slave 127.0.0.2:6380 127.0.0.2 6380",
        "+sdown|slave 127.0.0.2:6380 127.0.0.2 6380 # mymaster 127.0.0.1 6379",
        "+sdown|slave 127.0.0.2:6380 127.0.0.2 6380 @ mymaster 127.0.0.1 port",
        "+odown|''",
        "+new-epoch|x",
        "+new-epoch|1 2",
        "+new-epoch|-1",
        "+new-epoch|99999999999999999999",
        "+vote-for-leader|abc",
        "+vote-for-leader|abc def",
    })
    void malformedPayloadsAreReportedNotThrown(String channel, String payload) {
        SentinelEventParser.Parsed p = parser.parse(SRC, 1, channel, payload);
        assertFalse(p.ok(), channel + " " + payload);
        assertNull(p.event());
        assertNotNull(p.problem());
        assertEquals(SentinelEventType.of(channel), p.type());
    }

    @Test
    void ipv6AndExtraSpaces() {
        SentinelEvent e = ok("+switch-master", "mymaster ::1 6379  fe80::1 6380");
        assertEquals(new HostPort("::1", 6379), e.masterAddress());
        assertEquals("[fe80::1]:6380", e.newMasterAddress().toString());
    }
}
