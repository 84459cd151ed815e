package io.rvi.agent.sentinel;

import io.rvi.testkit.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.common.config.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Folding of every Sentinel's copies into one failover record, with a fake clock. */
class FailoverTrackerTest {
    private static final HostPort S1 = new HostPort("10.0.0.1", 26379);
    private static final HostPort S2 = new HostPort("10.0.0.2", 26379);
    private static final HostPort S3 = new HostPort("10.0.0.3", 26379);
    private static final String OLD = "10.0.0.1 6379";
    private static final String NEW = "10.0.0.2 6379";
    private static final FailoverTracker.Settings SETTINGS = new FailoverTracker.Settings(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofSeconds(10), 8);

    private final FakeClock clock = new FakeClock();
    private final long t0 = clock.millis();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SwitchMaster> switches = new ArrayList<>();
    private final List<FailoverRecord> failovers = new ArrayList<>();
    private final SentinelEventParser parser = new SentinelEventParser();
    private final FailoverTracker tracker = tracker(SETTINGS);

    private FailoverTracker tracker(FailoverTracker.Settings s) {
        return new FailoverTracker(clock, registry, s, new FailoverTracker.Listener() {
            @Override
            public void switchMaster(SwitchMaster sm) {
                switches.add(sm);
            }

            @Override
            public void failover(FailoverRecord r) {
                failovers.add(r);
            }
        });
    }

    /** The message from {@code source} arrives {@code ms} after t0. */
    private void at(long ms, HostPort source, String channel, String payload) {
        clock.at(t0, ms);
        SentinelEventParser.Parsed p = parser.parse(source, clock.millis(), channel, payload);
        assertTrue(p.ok(), p.problem());
        tracker.accept(p.event());
        tracker.tick();
    }

    private void tickAt(long ms) {
        clock.at(t0, ms);
        tracker.tick();
    }

    private double failoverCount() {
        var c = registry.find("rvi.redis.failovers").tag("master_name", "mymaster").counter();
        return c == null ? 0 : c.count();
    }

    /** A failover as 3 Sentinels report it: S3 leads; its own +switch-master comes 1 s after the others'. */
    private void failoverLed3(long base) {
        for (HostPort s : List.of(S1, S2, S3)) {
            at(base, s, "+sdown", "master mymaster " + OLD);
        }
        at(base + 60, S3, "+odown", "master mymaster " + OLD + " #quorum 2/2");
        at(base + 63, S3, "+new-epoch", "1");
        at(base + 65, S3, "+try-failover", "master mymaster " + OLD);
        at(base + 66, S1, "+new-epoch", "1");
        at(base + 67, S1, "+vote-for-leader", "runid3 1");
        at(base + 68, S2, "+new-epoch", "1");
        at(base + 68, S2, "+vote-for-leader", "runid3 1");
        at(base + 120, S3, "+elected-leader", "master mymaster " + OLD);
        at(base + 122, S3, "+failover-state-select-slave", "master mymaster " + OLD);
        at(base + 180, S3, "+selected-slave", "slave 10.0.0.2:6379 " + NEW + " @ mymaster " + OLD);
        at(base + 1083, S1, "+odown", "master mymaster " + OLD + " #quorum 3/2");
        at(base + 1118, S3, "+promoted-slave", "slave 10.0.0.2:6379 " + NEW + " @ mymaster " + OLD);
        at(base + 1195, S1, "+config-update-from", "sentinel runid3 10.0.0.3 26379 @ mymaster " + OLD);
        at(base + 1195, S1, "+switch-master", "mymaster " + OLD + " " + NEW);
        at(base + 1196, S2, "+switch-master", "mymaster " + OLD + " " + NEW);
        at(base + 2209, S3, "-odown", "master mymaster " + OLD);
        at(base + 2211, S3, "+failover-end", "master mymaster " + OLD);
        at(base + 2213, S3, "+switch-master", "mymaster " + OLD + " " + NEW); // the leader's, ~1 s late
    }

    @Test
    void threeSentinelsOneFailoverLeaderLate() {
        tracker.expectedReporters(List.of(S1, S2, S3));
        failoverLed3(1000);
        assertEquals(1, switches.size(), "exactly one SwitchMaster: " + switches);
        SwitchMaster sm = switches.get(0);
        assertEquals("mymaster", sm.masterName());
        assertEquals(new HostPort("10.0.0.1", 6379), sm.from());
        assertEquals(new HostPort("10.0.0.2", 6379), sm.to());
        assertEquals(S1, sm.source());
        assertEquals(t0 + 2195, sm.receivedAt());
        assertEquals("mymaster-epoch-1", sm.failoverId());

        assertEquals(1, failovers.size(), "closed as soon as all 3 announced the switch");
        FailoverRecord r = failovers.get(0);
        assertEquals(sm.failoverId(), r.id());
        assertEquals(FailoverRecord.COMPLETED, r.outcome());
        assertEquals(1135, r.durationMillis(), "first +odown (1060) to first +switch-master (2195)");
        assertEquals(t0 + 1000, r.sdownAt());
        assertEquals(t0 + 1060, r.odownAt());
        assertEquals(t0 + 1065, r.tryFailoverAt());
        assertEquals(t0 + 1120, r.electedLeaderAt());
        assertEquals(t0 + 2118, r.promotedSlaveAt());
        assertEquals(t0 + 2195, r.switchMasterAt());
        assertEquals(t0 + 3211, r.failoverEndAt());
        assertEquals(S3, r.leader());
        assertEquals(1L, r.epoch());
        assertEquals(List.of(S1, S2, S3), r.switchReporters());
        assertEquals(3, r.reporters().size());
        Map<String, Object> data = r.toEventData();
        assertEquals("10.0.0.1:6379", data.get("from"));
        assertEquals("10.0.0.2:6379", data.get("to"));
        assertEquals(1135L, data.get("duration_ms"));
        assertTrue(r.summary().contains("10.0.0.1:6379 -> 10.0.0.2:6379 in 1135 ms"), r.summary());

        assertEquals(1, failoverCount());
        var timer = registry.find("rvi.redis.failover.duration").timer();
        assertEquals(1, timer.count());
        assertEquals(1135, timer.totalTime(TimeUnit.MILLISECONDS), 0.5);

        tickAt(60_000);
        assertEquals(1, switches.size());
        assertEquals(1, failovers.size());
    }

    @Test
    void withoutTheLeadersCopyTheRecordClosesAfterSettle() {
        tracker.expectedReporters(List.of(S1, S2, S3));
        at(0, S1, "+sdown", "master mymaster " + OLD);
        at(900, S1, "+odown", "master mymaster " + OLD + " #quorum 2/2");
        at(2000, S1, "+switch-master", "mymaster " + OLD + " " + NEW);
        at(2001, S2, "+switch-master", "mymaster " + OLD + " " + NEW);
        assertEquals(1, switches.size());
        tickAt(6999);
        assertTrue(failovers.isEmpty(), "settling: the leader's copy may still come");
        tickAt(7000);
        assertEquals(1, failovers.size());
        FailoverRecord r = failovers.get(0);
        assertEquals(1100, r.durationMillis());
        assertEquals("mymaster-at-" + t0, r.id(), "no epoch seen: id from when the record opened");
        assertNull(r.leader());
        // the leader's copy, after the record closed: still not published again
        at(8000, S3, "+switch-master", "mymaster " + OLD + " " + NEW);
        at(8001, S3, "+failover-end", "master mymaster " + OLD);
        assertEquals(1, switches.size());
        tickAt(100_000);
        assertEquals(1, failovers.size());
        assertEquals(List.of(S1, S2, S3), tracker.recent().get(0).switchReporters());
    }

    @Test
    void recordedFailoverFromThreeRealSentinels() {
        tracker.expectedReporters(Recording.SENTINELS);
        for (Recording.Line l : Recording.load("failover")) {
            at(l.ms(), l.source(), l.channel(), l.payload());
        }
        assertEquals(1, switches.size(), "one SwitchMaster: " + switches);
        SwitchMaster sm = switches.get(0);
        assertEquals(new HostPort("127.0.0.1", 27101), sm.from());
        assertEquals(new HostPort("127.0.0.2", 27102), sm.to());
        assertEquals(t0 + 7957, sm.receivedAt());
        assertEquals("mymaster-epoch-1", sm.failoverId());
        assertEquals(1, failovers.size(), "one failover: " + failovers);
        FailoverRecord r = failovers.get(0);
        assertEquals(FailoverRecord.COMPLETED, r.outcome());
        assertEquals(7957 - 6822, r.durationMillis(), "first +odown to first +switch-master");
        assertEquals(new HostPort("127.0.0.3", 27113), r.leader());
        assertEquals(3, r.switchReporters().size());
        assertEquals(t0 + 8975, r.closedAt(), "closed by the leader's own +switch-master, the third");
        assertEquals(1, failoverCount());
    }

    @Test
    void recordedAbortedAttemptsMakeOneAbortedRecordAndNoSwitch() {
        tracker.expectedReporters(Recording.SENTINELS);
        for (Recording.Line l : Recording.load("failover-aborted")) {
            at(l.ms(), l.source(), l.channel(), l.payload());
        }
        tickAt(200_000);
        assertTrue(switches.isEmpty());
        assertEquals(1, failovers.size(), "both Sentinels' attempts of epoch 1 are one record: " + failovers);
        FailoverRecord r = failovers.get(0);
        assertEquals(FailoverRecord.ABORTED, r.outcome());
        assertEquals(List.of("no-good-slave", "not-elected"), r.abortReasons());
        assertEquals("mymaster-epoch-1", r.id());
        assertNull(r.to());
        assertNull(r.durationMillis());
        assertEquals(0, failoverCount());
        assertTrue(r.summary().contains("aborted (no-good-slave, not-elected)"), r.summary());
    }

    @Test
    void aBlipOfSdownIsNoFailover() {
        at(0, S1, "+sdown", "master mymaster " + OLD);
        at(10, S2, "+sdown", "master mymaster " + OLD);
        at(500, S1, "-sdown", "master mymaster " + OLD);
        assertTrue(tracker.open("mymaster").isPresent(), "S2 still sees it down");
        at(600, S2, "-sdown", "master mymaster " + OLD);
        assertTrue(tracker.open("mymaster").isEmpty());
        tickAt(100_000);
        assertTrue(failovers.isEmpty());
        assertTrue(switches.isEmpty());
    }

    @Test
    void anAttemptWithoutSwitchTimesOutWithWhatWasSeen() {
        at(0, S3, "+odown", "master mymaster " + OLD + " #quorum 2/2");
        at(5, S3, "+try-failover", "master mymaster " + OLD);
        at(60, S3, "+elected-leader", "master mymaster " + OLD);
        at(900, S3, "+promoted-slave", "slave 10.0.0.2:6379 " + NEW + " @ mymaster " + OLD);
        tickAt(30_899);
        assertTrue(failovers.isEmpty());
        tickAt(30_900);
        assertEquals(1, failovers.size());
        FailoverRecord r = failovers.get(0);
        assertEquals(FailoverRecord.TIMEOUT, r.outcome());
        assertEquals(new HostPort("10.0.0.2", 6379), r.to(), "the promoted replica");
        assertEquals(t0 + 5, r.tryFailoverAt());
        assertTrue(switches.isEmpty());
    }

    @Test
    void aRecordIsClosedAfterMaxOpenEvenWhenStepsKeepComing() {
        FailoverTracker short1 = tracker(new FailoverTracker.Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 8));
        for (int s = 0; s <= 60; s += 10) {
            clock.at(t0, s * 1000L);
            short1.accept(parser.parse(S1, clock.millis(), "+try-failover", "master mymaster " + OLD).event());
            short1.tick();
        }
        assertEquals(1, failovers.size());
        assertEquals(FailoverRecord.TIMEOUT, failovers.get(0).outcome());
    }

    @Test
    void aSecondFailoverIsANewRecordWithItsOwnSwitch() {
        tracker.expectedReporters(List.of(S1, S2, S3));
        failoverLed3(0);
        String third = "10.0.0.3 6379";
        at(20_000, S1, "+sdown", "master mymaster " + NEW);
        at(20_100, S2, "+odown", "master mymaster " + NEW + " #quorum 2/2");
        at(20_101, S2, "+new-epoch", "2");
        at(20_102, S2, "+try-failover", "master mymaster " + NEW);
        at(21_000, S1, "+switch-master", "mymaster " + NEW + " " + third);
        at(21_001, S3, "+switch-master", "mymaster " + NEW + " " + third);
        at(22_000, S2, "+switch-master", "mymaster " + NEW + " " + third);
        assertEquals(2, switches.size());
        assertEquals("mymaster-epoch-2", switches.get(1).failoverId());
        assertEquals(new HostPort("10.0.0.2", 6379), switches.get(1).from());
        assertEquals(new HostPort("10.0.0.3", 6379), switches.get(1).to());
        assertEquals(2, failovers.size());
        assertEquals(900, failovers.get(1).durationMillis());
        assertEquals(2, failoverCount());
        assertNotEquals(failovers.get(0).id(), failovers.get(1).id());
    }

    @Test
    void aLateDuplicateOfTheLastSwitchIsNotPublished() {
        tracker.expectedReporters(List.of(S1, S2, S3));
        failoverLed3(0);
        at(120_000, S2, "+switch-master", "mymaster " + OLD + " " + NEW);
        at(120_001, S2, "+sdown", "master mymaster " + NEW); // a new incident opens a record...
        at(120_002, S3, "+switch-master", "mymaster 10.0.0.9 6379 " + NEW); // ...but a switch to the current master is old news
        tickAt(400_000);
        assertEquals(1, switches.size());
        assertEquals(1, failovers.size());
    }

    @Test
    void switchSeenAloneStillPublishedOnce() {
        at(0, S2, "+switch-master", "mymaster " + OLD + " " + NEW);
        at(1, S1, "+switch-master", "mymaster " + OLD + " " + NEW);
        tickAt(5001);
        assertEquals(1, switches.size());
        assertEquals(1, failovers.size());
        assertNull(failovers.get(0).durationMillis(), "no +odown/+try-failover seen: no duration");
        assertEquals(0, registry.find("rvi.redis.failover.duration").timers().size());
        assertEquals(1, failoverCount());
    }

    @Test
    void routingSwitchedIsTimedFromTheFirstSwitchOnce() {
        tracker.expectedReporters(List.of(S1, S2, S3));
        failoverLed3(0);
        String id = switches.get(0).failoverId();
        tracker.routingSwitched(id, t0 + 1195 + 95);
        tracker.routingSwitched(id, t0 + 5000);
        tracker.routingSwitched("nope", t0 + 5000);
        var timer = registry.find("rvi.redis.failover.routing").tag("master_name", "mymaster").timer();
        assertEquals(1, timer.count());
        assertEquals(95, timer.totalTime(TimeUnit.MILLISECONDS), 0.5);
        assertEquals(t0 + 1290, tracker.find(id).orElseThrow().routingSwitchedAt());
    }

    @Test
    void otherMastersAreTrackedApart() {
        at(0, S1, "+switch-master", "other 10.0.1.1 6379 10.0.1.2 6379");
        at(1, S1, "+switch-master", "mymaster " + OLD + " " + NEW);
        assertEquals(2, switches.size());
        assertNotEquals(switches.get(0).failoverId(), switches.get(1).failoverId());
        tracker.prepareMeters("third");
        assertEquals(0, registry.find("rvi.redis.failovers").tag("master_name", "third").counter().count());
    }
}
