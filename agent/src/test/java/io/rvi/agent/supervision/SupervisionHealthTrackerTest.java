package io.rvi.agent.supervision;

import static io.rvi.agent.supervision.HealthTracker.Change.BECAME_HEALTHY;
import static io.rvi.agent.supervision.HealthTracker.Change.BECAME_UNHEALTHY;
import static io.rvi.agent.supervision.HealthTracker.Change.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SupervisionHealthTrackerTest {
    @Test
    void unknownUntilFirstSuccessOrEnoughFailures() {
        HealthTracker t = new HealthTracker(3);
        assertEquals("unknown", t.health());
        assertEquals(NONE, t.record(false));
        assertEquals(NONE, t.record(false));
        assertEquals("unknown", t.health());
        assertEquals(BECAME_UNHEALTHY, t.record(false));
        assertEquals("unhealthy", t.health());
        assertEquals(NONE, t.record(false));
    }

    @Test
    void healthyOnFirstSuccessAndOnlyTransitionsAreReported() {
        HealthTracker t = new HealthTracker(2);
        assertEquals(BECAME_HEALTHY, t.record(true));
        assertEquals(NONE, t.record(true));
        assertEquals(NONE, t.record(false));
        assertEquals("healthy", t.health());
        assertEquals(NONE, t.record(true)); // one failure, then success: counter reset
        assertEquals(NONE, t.record(false));
        assertEquals(BECAME_UNHEALTHY, t.record(false));
        assertEquals(BECAME_HEALTHY, t.record(true));
        assertEquals(0, t.failures());
    }

    @Test
    void markUnhealthyIsImmediate() {
        HealthTracker t = new HealthTracker(5);
        t.record(true);
        assertEquals(BECAME_UNHEALTHY, t.markUnhealthy());
        assertEquals(NONE, t.markUnhealthy());
        assertEquals(NONE, t.record(false));
        assertEquals(BECAME_HEALTHY, t.record(true));
    }

    @Test
    void resetGoesBackToUnknownQuietly() {
        HealthTracker t = new HealthTracker(2);
        t.record(true);
        t.reset();
        assertEquals("unknown", t.health());
        assertEquals(NONE, t.record(false));
        assertEquals(BECAME_HEALTHY, t.record(true));
    }

    @Test
    void thresholdMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HealthTracker(0));
    }
}
