package io.rvi.agent.supervision;

/**
 * Turns probe outcomes into a health verdict: healthy on the first success, unhealthy after
 * {@code unhealthyAfter} consecutive failures, unknown until either happens. Only changes are reported,
 * so callers log and emit one line per transition. Plain class.
 */
public final class HealthTracker {
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    public static final String UNKNOWN = "unknown";

    public enum Change { NONE, BECAME_HEALTHY, BECAME_UNHEALTHY }

    private int unhealthyAfter;
    private int failures;
    private String health = UNKNOWN;

    public HealthTracker(int unhealthyAfter) {
        setUnhealthyAfter(unhealthyAfter);
    }

    public void setUnhealthyAfter(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("unhealthyAfter must be >= 1");
        }
        this.unhealthyAfter = n;
    }

    public Change record(boolean ok) {
        if (ok) {
            failures = 0;
            return to(HEALTHY);
        }
        failures++;
        return failures >= unhealthyAfter ? to(UNHEALTHY) : Change.NONE;
    }

    /** The process is known to be gone: unhealthy now, without waiting for more probes. */
    public Change markUnhealthy() {
        failures = Math.max(failures, unhealthyAfter);
        return to(UNHEALTHY);
    }

    /** Back to unknown, failures forgotten (the process was stopped on purpose; a new one comes). */
    public void reset() {
        failures = 0;
        health = UNKNOWN;
    }

    public String health() {
        return health;
    }

    /** Consecutive failed probes. */
    public int failures() {
        return failures;
    }

    private Change to(String h) {
        if (h.equals(health)) {
            return Change.NONE;
        }
        health = h;
        return h.equals(HEALTHY) ? Change.BECAME_HEALTHY : Change.BECAME_UNHEALTHY;
    }
}
