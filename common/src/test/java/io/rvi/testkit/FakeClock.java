package io.rvi.testkit;

import io.rvi.common.Clock;
import java.time.Duration;

/** A clock that moves only when told, for decision logic tested without waiting. */
public final class FakeClock implements Clock {
    private long millis = 1_700_000_000_000L;
    private long nanos = 5_000_000_000L;

    @Override
    public synchronized long millis() {
        return millis;
    }

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    public synchronized void advance(Duration d) {
        millis += d.toMillis();
        nanos += d.toNanos();
    }

    /** Moves to {@code ms} after {@code startMillis} (never back). */
    public synchronized void at(long startMillis, long ms) {
        long target = startMillis + ms;
        if (target > millis) {
            nanos += (target - millis) * 1_000_000L;
            millis = target;
        }
    }
}
