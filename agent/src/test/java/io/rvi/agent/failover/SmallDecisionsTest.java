package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link FaultLog} and {@link RoleChangeTracker}. */
class SmallDecisionsTest {
    @Test
    void faultIsLoggedWhenItStartsChangesAndClears() {
        FaultLog f = new FaultLog();
        assertFalse(f.changed("sentinel_unreachable", null));
        assertTrue(f.changed("sentinel_unreachable", "refused"));
        assertFalse(f.changed("sentinel_unreachable", "refused"));
        assertTrue(f.active("sentinel_unreachable"));
        assertTrue(f.changed("sentinel_unreachable", "timed out"));
        assertTrue(f.changed("sentinel_unreachable", null));
        assertFalse(f.changed("sentinel_unreachable", null));
    }

    @Test
    void roleChangesAreReportedOncePerChange() {
        RoleChangeTracker t = new RoleChangeTracker();
        assertNull(t.observe("master"));
        assertNull(t.observe("master"));
        assertNull(t.observe("unknown"));
        assertNull(t.observe("master"));
        RoleChangeTracker.Change c = t.observe("replica");
        assertEquals(new RoleChangeTracker.Change("master", "replica", 1), c);
        assertNull(t.observe(null));
        assertNull(t.observe("replica"));
        assertEquals(2, t.observe("master").seq());
    }
}
