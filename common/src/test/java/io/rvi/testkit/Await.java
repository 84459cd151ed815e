package io.rvi.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes. */
public final class Await {
    private Await() {}

    /** Waits until {@code condition} holds; fails with {@code what} and {@code state}'s description if it does not in time. */
    public static void until(String what, Duration limit, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(50);
        }
        AssertionError err = new AssertionError("timed out after " + limit.toMillis() + " ms waiting for: " + what
                + (state == null ? "" : "\nstate: " + state.get()));
        if (last != null) {
            err.initCause(last);
        }
        throw err;
    }

    public static void until(String what, Duration limit, BooleanSupplier condition) {
        until(what, limit, condition, null);
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
