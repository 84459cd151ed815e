package io.rvi.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoordinatorEndpointsTest {
    private static final String A = "http://10.0.0.1:9600";
    private static final String B = "http://10.0.0.2:9600";
    private static final String C = "http://10.0.0.3:9600";

    @Test
    void staysWithTheUrlThatWorks() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of(A, B, C));
        assertEquals(A, e.current());
        e.succeeded(A);
        e.succeeded(A);
        assertEquals(A, e.current());
    }

    @Test
    void movesToTheNextOnFailureAndWrapsAround() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of(A, B, C));
        assertTrue(e.failed(A));
        assertEquals(B, e.current());
        assertTrue(e.failed(B));
        assertEquals(C, e.current());
        assertTrue(e.failed(C));
        assertEquals(A, e.current());
        assertEquals(3, e.consecutiveFailures());
        e.succeeded(A);
        assertEquals(0, e.consecutiveFailures());
    }

    @Test
    void thenSticksToTheNewOne() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of(A, B));
        e.failed(A);
        e.succeeded(B);
        assertEquals(B, e.current());
        e.succeeded(B);
        assertEquals(B, e.current(), "no going back to A while B works");
    }

    @Test
    void aLateFailureOfAnOldUrlChangesNothing() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of(A, B));
        e.failed(A);
        assertEquals(B, e.current());
        assertFalse(e.failed(A), "A's second (late) failure must not move away from B");
        assertEquals(B, e.current());
    }

    @Test
    void oneUrlStaysOnFailure() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of(A));
        assertFalse(e.failed(A));
        assertEquals(A, e.current());
    }

    @Test
    void noUrlsMeansStandalone() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of());
        assertTrue(e.isEmpty());
        assertNull(e.current());
    }

    @Test
    void aNewListKeepsTheCurrentUrlWhenStillThere() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of(A, B));
        e.failed(A);
        CoordinatorEndpoints next = e.withUrls(List.of(C, B));
        assertEquals(B, next.current());
        assertEquals(C, e.withUrls(List.of(C)).current());
    }

    @Test
    void urlsAreNormalizedAndDeduplicated() {
        CoordinatorEndpoints e = new CoordinatorEndpoints(List.of(A + "/", A, " " + B + "// "));
        assertEquals(List.of(A, B), e.urls());
    }

    @Test
    void heartbeatJitterStaysWithinTenPercent() {
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long d = Reporter.jittered(5000, r);
            assertTrue(d >= 4500 && d <= 5500, "jittered 5000 ms: " + d);
        }
        assertEquals(1, Reporter.jittered(0, r));
    }
}
