package io.rvi.agent.supervision;

import io.rvi.testkit.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SupervisionRestartPolicyTest {
    private final FakeClock clock = new FakeClock();

    static AgentConfig.Supervision policy(int maxRestarts, Duration window) {
        return new AgentConfig.Supervision(Duration.ofSeconds(1), Duration.ofSeconds(30), maxRestarts, window,
                Duration.ofSeconds(10), false, Path.of("/usr/bin/systemctl"), Duration.ofSeconds(5));
    }

    @Test
    void restartsUpToTheMaximumThenCrashLoops() {
        RestartPolicy p = new RestartPolicy(policy(3, Duration.ofMinutes(2)), clock, new SplittableRandom(1));
        for (int i = 1; i <= 3; i++) {
            RestartPolicy.Restart r = assertInstanceOf(RestartPolicy.Restart.class, p.onExit());
            assertEquals(i, r.attempt());
            assertEquals(3, r.max());
            clock.advance(Duration.ofSeconds(5));
        }
        RestartPolicy.CrashLoop cl = assertInstanceOf(RestartPolicy.CrashLoop.class, p.onExit());
        assertEquals(4, cl.exits());
        assertTrue(cl.describe().contains("4 exits within 2m"), cl.describe());
    }

    @Test
    void exitsOlderThanTheWindowDoNotCount() {
        RestartPolicy p = new RestartPolicy(policy(2, Duration.ofMinutes(1)), clock, new SplittableRandom(1));
        p.onExit();
        p.onExit();
        clock.advance(Duration.ofSeconds(61));
        assertEquals(0, p.exitsInWindow());
        RestartPolicy.Restart r = assertInstanceOf(RestartPolicy.Restart.class, p.onExit());
        assertEquals(1, r.attempt());
    }

    @Test
    void slidingWindowCountsOnlyRecentExits() {
        RestartPolicy p = new RestartPolicy(policy(2, Duration.ofSeconds(60)), clock, new SplittableRandom(1));
        p.onExit();                           // t=0
        clock.advance(Duration.ofSeconds(40));
        p.onExit();                           // t=40
        clock.advance(Duration.ofSeconds(30)); // t=70: the first one left the window
        RestartPolicy.Restart r = assertInstanceOf(RestartPolicy.Restart.class, p.onExit());
        assertEquals(2, r.attempt());
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(RestartPolicy.CrashLoop.class, p.onExit());
    }

    @Test
    void backoffGrowsWithExitsAndStaysWithinBounds() {
        RestartPolicy p = new RestartPolicy(policy(10, Duration.ofMinutes(10)), clock, new SplittableRandom(7));
        long[] ceilings = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (long ceiling : ceilings) {
            RestartPolicy.Restart r = (RestartPolicy.Restart) p.onExit();
            assertTrue(r.delayMillis() >= ceiling / 2 && r.delayMillis() <= ceiling,
                    "attempt " + r.attempt() + ": " + r.delayMillis() + " not in [" + ceiling / 2 + ", " + ceiling + "]");
        }
    }

    @Test
    void resetForgetsExits() {
        RestartPolicy p = new RestartPolicy(policy(1, Duration.ofMinutes(2)), clock, new SplittableRandom(1));
        p.onExit();
        assertInstanceOf(RestartPolicy.CrashLoop.class, p.onExit());
        p.reset();
        assertInstanceOf(RestartPolicy.Restart.class, p.onExit());
    }

    @Test
    void updateKeepsHistoryButUsesTheNewLimit() {
        RestartPolicy p = new RestartPolicy(policy(5, Duration.ofMinutes(2)), clock, new SplittableRandom(1));
        p.onExit();
        p.onExit();
        p.update(policy(2, Duration.ofMinutes(2)));
        assertInstanceOf(RestartPolicy.CrashLoop.class, p.onExit());
    }

    @Test
    void describesTheDecisionInWords() {
        RestartPolicy.Restart r = new RestartPolicy.Restart(3, 5, Duration.ofMinutes(2), 1400);
        assertEquals("restart 3/5 in 2m, next try in 1.4s", r.describe());
        assertEquals("850ms", Durations.words(Duration.ofMillis(850)));
        assertEquals("2s", Durations.words(Duration.ofMillis(2000)));
        assertEquals("1h30m", Durations.words(Duration.ofMinutes(90)));
    }
}
