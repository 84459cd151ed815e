package io.rvi.agent.failover;

import io.rvi.common.Clock;
import java.time.Duration;

/** A clock that moves only when told. */
final class TestClock implements Clock {
    private long millis = 1_700_000_000_000L;
    private long nanos = 1_000_000_000L;

    @Override
    public synchronized long millis() {
        return millis;
    }

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    synchronized void advance(Duration d) {
        millis += d.toMillis();
        nanos += d.toNanos();
    }
}
