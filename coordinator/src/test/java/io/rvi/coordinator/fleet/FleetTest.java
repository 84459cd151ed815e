package io.rvi.coordinator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.protocol.Heartbeat;
import io.rvi.common.protocol.ObservedState;
import io.rvi.coordinator.FakeClock;
import io.rvi.coordinator.store.AgentRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetTest {
    private final FakeClock clock = new FakeClock(1_000_000);
    private final Fleet fleet = new Fleet(clock, new Staleness(3));

    private static Heartbeat hb(String id, String incarnation, long interval) {
        ObservedState st = new ObservedState(id, "main", "h-" + id, "1.0", 0, 0, true, List.of());
        return new Heartbeat(id, incarnation, "main", "h-" + id, "1.0", 0, interval, st);
    }

    private void heartbeat(Heartbeat hb) {
        fleet.apply(fleet.next(hb));
    }

    @Test
    void anAgentIsStaleAfterMissingThreeOfItsIntervals() {
        heartbeat(hb("a1", "i1", 1000));
        AgentStatus a = fleet.get("a1");
        assertFalse(fleet.isStale(a));
        clock.advance(3000);
        assertFalse(fleet.isStale(a), "exactly 3 intervals is not yet stale");
        clock.advance(1);
        assertTrue(fleet.isStale(a));
        heartbeat(hb("a1", "i1", 1000));
        assertFalse(fleet.isStale(fleet.get("a1")));
    }

    @Test
    void stalenessUsesEachAgentsOwnInterval() {
        heartbeat(hb("fast", "i", 100));
        heartbeat(hb("slow", "i", 10_000));
        clock.advance(5000);
        assertEquals(1, fleet.count(true));
        assertEquals(1, fleet.count(false));
        assertTrue(fleet.isStale(fleet.get("fast")));
        assertFalse(fleet.isStale(fleet.get("slow")));
    }

    @Test
    void agentsRestoredFromTheStoreAreStaleUntilTheyHeartbeat() {
        long now = clock.millis();
        fleet.restore(List.of(new AgentRow("a1", "main", "h", "1.0", "i1", now - 10, now, 1000, null)));
        assertTrue(fleet.isStale(fleet.get("a1")), "stale even though last_seen is recent");
        heartbeat(hb("a1", "i1", 1000));
        assertFalse(fleet.isStale(fleet.get("a1")));
        assertEquals(now - 10, fleet.get("a1").firstSeen(), "first_seen is kept");
    }

    @Test
    void aSweepReportsEachAgentGoingStaleOnce() {
        heartbeat(hb("a1", "i1", 1000));
        heartbeat(hb("a2", "i1", 1000));
        assertEquals(List.of(), fleet.sweep());
        clock.advance(3001);
        assertEquals(2, fleet.sweep().size());
        assertEquals(List.of(), fleet.sweep());
        heartbeat(hb("a1", "i1", 1000));
        clock.advance(3001);
        assertEquals(List.of("a1"), fleet.sweep().stream().filter("a1"::equals).toList());
    }

    @Test
    void lastSeenIsTheCoordinatorsTimeAndANewIncarnationIsRecorded() {
        heartbeat(hb("a1", "i1", 1000));
        clock.advance(500);
        heartbeat(hb("a1", "i2", 1000));
        AgentStatus a = fleet.get("a1");
        assertEquals(clock.millis(), a.lastSeen());
        assertEquals("i2", a.incarnation());
        assertEquals(1_000_000, a.firstSeen());
    }

    @Test
    void allIsSortedById() {
        heartbeat(hb("b", "i", 1000));
        heartbeat(hb("a", "i", 1000));
        assertEquals(List.of("a", "b"), fleet.all().stream().map(AgentStatus::agentId).toList());
    }

    @Test
    void staleAfterMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Staleness(0));
    }
}
