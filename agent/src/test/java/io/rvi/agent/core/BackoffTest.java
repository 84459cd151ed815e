package io.rvi.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(42));

    @Test
    void ceilingDoublesPerAttemptUpToTheMax() {
        assertEquals(100, backoff.ceilingMillis(1));
        assertEquals(200, backoff.ceilingMillis(2));
        assertEquals(400, backoff.ceilingMillis(3));
        assertEquals(3200, backoff.ceilingMillis(6));
        assertEquals(5000, backoff.ceilingMillis(7));
        assertEquals(5000, backoff.ceilingMillis(1000), "no overflow for large attempt numbers");
    }

    @Test
    void delayIsJitteredBetweenHalfAndAllOfTheCeiling() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long d = backoff.delayMillis(4);
            assertTrue(d >= 400 && d <= 800, "delay " + d + " outside [400, 800]");
            seen.add(d);
        }
        assertTrue(seen.size() > 100, "jitter must spread the delays, saw only " + seen.size() + " values");
    }

    @Test
    void refusesAMaxBelowTheInitial() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
    }
}
