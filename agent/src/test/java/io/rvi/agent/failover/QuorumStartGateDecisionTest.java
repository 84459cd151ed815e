package io.rvi.agent.failover;

import io.rvi.testkit.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.supervision.StartPlan;
import io.rvi.common.config.HostPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start gate's decision for the failover-managed Redis, with a clock that moves only when told. */
class QuorumStartGateDecisionTest {
    private static final HostPort SELF = new HostPort("10.0.0.11", 6379);
    private static final HostPort OTHER = new HostPort("10.0.0.12", 6379);
    private final FakeClock clock = new FakeClock();
    private final QuorumStartGateDecision d = new QuorumStartGateDecision(SELF, Duration.ofSeconds(60), clock);

    private static void assertReplicaOfOther(StartPlan p) {
        assertFalse(p.hold(), p.toString());
        assertEquals(List.of("--replicaof", "10.0.0.12", "6379"), p.extraArgs());
        assertEquals("the quorum's master is 10.0.0.12:6379: starting as its replica", p.reason());
    }

    /** Asks as the supervisor does while held (every 500 ms) for {@code span}; each answer must be a hold. */
    private void heldFor(HostPort master, Duration span) {
        for (long ms = 0; ms < span.toMillis(); ms += 500) {
            clock.advance(Duration.ofMillis(500));
            StartPlan p = d.decide(master, true);
            assertTrue(p.hold(), "held at " + ms + " ms: " + p);
            assertFalse(d.expired());
        }
    }

    private static void assertPlainProceed(StartPlan p) {
        assertFalse(p.hold(), p.toString());
        assertEquals(List.of(), p.extraArgs(), p.toString());
    }

    @Test
    void quorumNamingAnotherNodeStartsAsItsReplicaOnFirstStartAndOnRestart() {
        assertReplicaOfOther(d.decide(OTHER, false));
        assertReplicaOfOther(d.decide(OTHER, true));
        assertFalse(d.expired());
        assertFalse(d.holding());
    }

    @Test
    void quorumNamingThisNodeLetsTheFirstStartAtBootGoAsMaster() {
        StartPlan p = d.decide(SELF, false);
        assertPlainProceed(p);
        assertTrue(p.reason().contains("names this node master"), p.reason());
    }

    @Test
    void quorumNamingThisNodeHoldsARestartUntilTheQuorumNamesAnotherNode() {
        StartPlan held = d.decide(SELF, true);
        assertTrue(held.hold());
        assertEquals("the quorum still names this node master; waiting for Sentinel to fail over before restarting"
                + " (a restarted master would wipe its replicas)", held.reason());
        assertTrue(d.holding());
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(500));
            assertEquals(held, d.decide(SELF, true), "same answer on every ask (one log line per change)");
        }
        clock.advance(Duration.ofMillis(500));
        assertReplicaOfOther(d.decide(OTHER, true)); // Sentinel failed over
        assertFalse(d.holding());
        assertFalse(d.expired());
    }

    @Test
    void theHoldExpiresAfterRestartHoldAndTheRestartGoesAheadAsConfigured() {
        assertTrue(d.decide(SELF, true).hold());
        heldFor(SELF, Duration.ofSeconds(59)); // 59 s
        clock.advance(Duration.ofMillis(999));
        assertTrue(d.decide(SELF, true).hold(), "59.999 s: still held");
        assertFalse(d.expired());
        clock.advance(Duration.ofMillis(1));
        StartPlan p = d.decide(SELF, true);
        assertPlainProceed(p);
        assertTrue(d.expired(), "the caller warns");
        assertTrue(p.reason().startsWith("held for 60s (failover.restart_hold 60s) and the quorum still names this node master"), p.reason());
        assertFalse(d.holding());

        // the next exit is a new hold from zero
        clock.advance(Duration.ofSeconds(1));
        assertTrue(d.decide(SELF, true).hold());
        assertFalse(d.expired());
    }

    @Test
    void noQuorumLetsTheFirstStartGoAndHoldsARestartUpToRestartHold() {
        StartPlan first = d.decide(null, false);
        assertPlainProceed(first);
        assertTrue(first.reason().contains("no Sentinel quorum"), first.reason());

        StartPlan held = d.decide(null, true);
        assertTrue(held.hold());
        assertTrue(held.reason().startsWith("no Sentinel quorum names a master"), held.reason());
        heldFor(null, Duration.ofMillis(59_500));
        clock.advance(Duration.ofMillis(500));
        StartPlan p = d.decide(null, true);
        assertPlainProceed(p);
        assertTrue(d.expired());
        assertTrue(p.reason().contains("still no Sentinel quorum"), p.reason());
    }

    @Test
    void aHoldKeepsCountingWhenTheReasonChangesAndEndsWhenAQuorumNamesAnotherNode() {
        assertTrue(d.decide(null, true).hold());
        heldFor(null, Duration.ofSeconds(40));
        clock.advance(Duration.ofMillis(500));
        StartPlan now = d.decide(SELF, true); // the Sentinels are back and still name this node
        assertTrue(now.hold());
        assertEquals(QuorumStartGateDecision.MASTER_HERE, now.reason());
        heldFor(SELF, Duration.ofMillis(19_000));
        clock.advance(Duration.ofMillis(500));
        assertPlainProceed(d.decide(SELF, true));
        assertTrue(d.expired(), "60 s in all");
    }

    @Test
    void restartHoldZeroNeverHolds() {
        QuorumStartGateDecision never = new QuorumStartGateDecision(SELF, Duration.ZERO, clock);
        StartPlan p = never.decide(SELF, true);
        assertPlainProceed(p);
        assertTrue(p.reason().contains("restart_hold is 0"), p.reason());
        assertPlainProceed(never.decide(null, true));
        assertReplicaOfOther(never.decide(OTHER, true));
        assertFalse(never.expired());
    }

    @Test
    void anAbandonedHoldDoesNotShortenTheNextOne() {
        assertTrue(d.decide(SELF, true).hold());
        heldFor(SELF, Duration.ofSeconds(30));
        clock.advance(Duration.ofMinutes(5)); // nobody asked again (service removed, agent reconfigured)
        assertTrue(d.decide(SELF, true).hold(), "a new hold, not an expired old one");
        assertFalse(d.expired());
        heldFor(SELF, Duration.ofMillis(59_500));
        clock.advance(Duration.ofMillis(500));
        assertPlainProceed(d.decide(SELF, true));
        assertTrue(d.expired(), "60 s after the new hold began");
    }

    @Test
    void addressesCompareAsSentinelReportsThem() {
        QuorumStartGateDecision local = new QuorumStartGateDecision(new HostPort("127.0.0.1", 6379), Duration.ofSeconds(60), clock);
        assertTrue(local.decide(new HostPort("localhost", 6379), true).hold(), "localhost is this node");
        StartPlan p = local.decide(new HostPort("127.0.0.1", 6380), true);
        assertEquals(List.of("--replicaof", "127.0.0.1", "6380"), p.extraArgs(), "same host, another port: another node");
    }

    @Test
    void aNegativeHoldIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QuorumStartGateDecision(SELF, Duration.ofSeconds(-1), clock));
    }
}
