package io.rvi.agent.core;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n (from 1) waits a random time between half and all of
 * {@code min(max, initial * 2^(n-1))} ("equal jitter"), so many agents that fail together do not
 * retry together, and no wait is ever near zero.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff: need 0 <= initial <= max, got " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The ceiling for attempt {@code n} (1-based) before jitter. */
    public long ceilingMillis(int attempt) {
        long base = initial.toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long v = base << shift;
        if (v < 0 || (shift > 0 && v >> shift != base)) {
            v = Long.MAX_VALUE;
        }
        return Math.min(v, max.toMillis());
    }

    /** The wait before attempt {@code n+1} after {@code n} failures. */
    public long delayMillis(int attempt) {
        long ceiling = ceilingMillis(attempt);
        if (ceiling <= 1) {
            return ceiling;
        }
        long half = ceiling / 2;
        return half + random.nextLong(ceiling - half + 1);
    }
}
