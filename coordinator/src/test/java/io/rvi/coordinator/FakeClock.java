package io.rvi.coordinator;

import io.rvi.common.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand. */
public final class FakeClock implements Clock {
    private final AtomicLong millis;

    public FakeClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    public void advance(long ms) {
        millis.addAndGet(ms);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public long nanos() {
        return millis.get() * 1_000_000;
    }
}
