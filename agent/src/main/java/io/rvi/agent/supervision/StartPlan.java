package io.rvi.agent.supervision;

import java.util.List;
import java.util.Objects;

/**
 * A {@link StartGate}'s answer before a spawn.
 *
 * @param hold      do not start now: the service stays {@code starting} (first start) or {@code backoff}
 *                  (restart) with {@code reason} as its detail, and the gate is asked again shortly
 * @param extraArgs arguments appended to the command line after the configured ones and after
 *                  {@code --port/--bind/--daemonize}, so they win; not part of the pidfile's argument hash
 *                  (adoption after an agent restart compares the configured arguments only)
 * @param reason    why, in words, for the state and the log; empty for a plain proceed
 */
public record StartPlan(boolean hold, List<String> extraArgs, String reason) {
    private static final StartPlan PROCEED = new StartPlan(false, List.of(), "");

    public StartPlan {
        extraArgs = List.copyOf(Objects.requireNonNull(extraArgs, "extraArgs"));
        reason = reason == null ? "" : reason;
        if (hold && !extraArgs.isEmpty()) {
            throw new IllegalArgumentException("a hold has no arguments");
        }
    }

    /** Start as configured. */
    public static StartPlan proceed() {
        return PROCEED;
    }

    /** Start as configured, saying why (no extra arguments). */
    public static StartPlan proceed(String reason) {
        return new StartPlan(false, List.of(), reason);
    }

    /** Start with {@code extraArgs} appended, saying why. */
    public static StartPlan proceedWith(List<String> extraArgs, String reason) {
        return new StartPlan(false, extraArgs, reason);
    }

    /** Do not start yet; ask again shortly. */
    public static StartPlan hold(String reason) {
        return new StartPlan(true, List.of(), Objects.requireNonNull(reason, "reason"));
    }
}
