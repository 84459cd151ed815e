package io.rvi.common;

/** Time behind an interface, so that decision logic can be tested with a fake clock. */
public interface Clock {
    /** Wall-clock time in epoch milliseconds. */
    long millis();

    /** Monotonic time in nanoseconds, for durations. */
    long nanos();

    Clock SYSTEM = new Clock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
            return System.nanoTime();
        }
    };
}
