package io.rvi.agent.failover;

import io.rvi.testkit.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.failover.MasterOracle.QuorumView;
import io.rvi.common.config.HostPort;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleJudgeTest {
    static final HostPort SELF = new HostPort("10.0.0.11", 6379);
    static final HostPort OTHER = new HostPort("10.0.0.12", 6379);

    final FakeClock clock = new FakeClock();
    final RoleJudge judge = new RoleJudge(clock, true, Duration.ofSeconds(3), Duration.ofSeconds(60));

    static ReplicationInfo master(long uptime) {
        return new ReplicationInfo("master", null, false, 100, -1, 0, uptime);
    }

    static ReplicationInfo replicaOf(HostPort m) {
        return new ReplicationInfo("slave", m, true, 100, 100, 0, 1000);
    }

    static QuorumView quorum(HostPort m) {
        return new QuorumView(m, m == null ? Set.of() : Set.of(m));
    }

    RoleJudge.Verdict judge(ReplicationInfo local, QuorumView q, Boolean otherIsMaster) {
        return judge.judge(SELF, new RoleJudge.Observation(local, local == null ? "connection refused" : null, q,
                q == null ? "timed out" : null, otherIsMaster));
    }

    @Test
    void masterTheQuorumNamesIsPrimary() {
        RoleJudge.Verdict v = judge(master(1000), quorum(SELF), null);
        assertTrue(v.primary(), v.reason());
        assertFalse(v.splitBrain());
        assertNull(v.fenceTo());
    }

    @Test
    void localhostAndCaseDoNotMatter() {
        RoleJudge.Verdict v = judge.judge(new HostPort("LOCALHOST", 6379), new RoleJudge.Observation(master(1000), null,
                quorum(new HostPort("127.0.0.1", 6379)), null, null));
        assertTrue(v.primary(), v.reason());
    }

    @Test
    void noQuorumNeverDeclaresPrimary() {
        RoleJudge.Verdict v = judge(master(1000), quorum(null), null);
        assertFalse(v.primary());
        assertTrue(v.reason().contains("no sentinel quorum"), v.reason());
        v = judge(master(1000), null, null);
        assertFalse(v.primary());
        assertTrue(v.reason().contains("sentinels unreachable: timed out"), v.reason());
        assertNull(v.fenceTo());
    }

    @Test
    void unreachableLocalRedisIsNotPrimary() {
        RoleJudge.Verdict v = judge(null, quorum(SELF), null);
        assertFalse(v.primary());
        assertEquals("unknown", v.localRole());
        assertTrue(v.reason().contains("connection refused"), v.reason());
    }

    @Test
    void replicaIsNotPrimaryEvenWhenTheQuorumNamesIt() {
        RoleJudge.Verdict v = judge(replicaOf(OTHER), quorum(SELF), null);
        assertFalse(v.primary());
        assertTrue(v.reason().contains("promotion in progress"), v.reason());
        assertFalse(judge(replicaOf(OTHER), quorum(OTHER), null).primary());
    }

    @Test
    void restartedOldMasterIsFencedAtOnce() {
        RoleJudge.Verdict v = judge(master(2), quorum(OTHER), true);
        assertFalse(v.primary());
        assertTrue(v.splitBrain());
        assertEquals(OTHER, v.fenceTo());
        assertTrue(v.reason().contains("REPLICAOF 10.0.0.12 6379"), v.reason());
    }

    @Test
    void longRunningClaimIsFencedOnlyAfterThePersistence() {
        RoleJudge.Verdict v = judge(master(5000), quorum(OTHER), true);
        assertTrue(v.splitBrain());
        assertNull(v.fenceTo(), "a node Sentinel just promoted must get time for the quorum to catch up");
        clock.advance(Duration.ofMillis(2999));
        assertNull(judge(master(5000), quorum(OTHER), true).fenceTo());
        clock.advance(Duration.ofMillis(1));
        assertEquals(OTHER, judge(master(5000), quorum(OTHER), true).fenceTo());
    }

    @Test
    void disagreementClockRestartsWhenItEnds() {
        judge(master(5000), quorum(OTHER), true);
        clock.advance(Duration.ofSeconds(2));
        judge(master(5000), quorum(SELF), null); // agreement: the claim is fine
        clock.advance(Duration.ofSeconds(2));
        assertNull(judge(master(5000), quorum(OTHER), true).fenceTo());
    }

    @Test
    void neverFencesTowardsAMasterThatIsNotConfirmed() {
        // kill -9 of the old master: the promoted replica says master before the quorum names it; the old one is dead
        RoleJudge.Verdict v = judge(master(2), quorum(OTHER), false);
        assertNull(v.fenceTo());
        assertFalse(v.splitBrain());
        clock.advance(Duration.ofSeconds(10));
        assertNull(judge(master(5000), quorum(OTHER), null).fenceTo());
    }

    @Test
    void fencingCanBeTurnedOff() {
        RoleJudge off = new RoleJudge(clock, false, Duration.ofSeconds(3), Duration.ofSeconds(60));
        RoleJudge.Verdict v = off.judge(SELF, new RoleJudge.Observation(master(2), null, quorum(OTHER), null, true));
        assertNull(v.fenceTo());
        assertFalse(v.primary());
        assertTrue(v.splitBrain());
    }

    @Test
    void sentinelsDisagreeingIsSplitBrainAndNotPrimary() {
        RoleJudge.Verdict v = judge(master(1000), new QuorumView(SELF, Set.of(SELF, OTHER)), null);
        assertTrue(v.splitBrain());
        assertFalse(v.primary());
        assertTrue(v.reason().contains("disagree"), v.reason());
    }
}
