package io.rvi.agent.core;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How one kind of action is run: its name (the {@code action} label), the timeout of one attempt,
 * how many attempts at most, the backoff between them, and which failures are worth retrying.
 */
public record ActionSpec(String name, Duration timeout, int maxAttempts, Duration backoffInitial, Duration backoffMax,
                         Predicate<Throwable> retryable) {

    public ActionSpec {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    /** One attempt, no retry. */
    public static ActionSpec once(String name, Duration timeout) {
        return new ActionSpec(name, timeout, 1, Duration.ZERO, Duration.ZERO, t -> false);
    }

    /** Retries every failure except {@link NotRetryable} ones. */
    public static ActionSpec retrying(String name, Duration timeout, int maxAttempts, Duration backoffInitial, Duration backoffMax) {
        return new ActionSpec(name, timeout, maxAttempts, backoffInitial, backoffMax, t -> !(t instanceof NotRetryable));
    }

    /** Marks a failure that another attempt cannot fix (bad input, refused by policy). */
    public static class NotRetryable extends RuntimeException {
        public NotRetryable(String message) {
            super(message);
        }
    }
}
