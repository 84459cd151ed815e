package io.rvi.coordinator.fleet;

/**
 * When an agent counts as stale: it has missed {@code staleAfterHeartbeats} of its own heartbeat
 * intervals ({@code now - lastSeen > staleAfterHeartbeats * interval}), or it is only known from the
 * store (the coordinator restarted and has not heard from it since).
 */
public final class Staleness {
    private final int staleAfterHeartbeats;

    public Staleness(int staleAfterHeartbeats) {
        if (staleAfterHeartbeats < 1) {
            throw new IllegalArgumentException("stale_after_heartbeats must be at least 1, got " + staleAfterHeartbeats);
        }
        this.staleAfterHeartbeats = staleAfterHeartbeats;
    }

    public boolean isStale(AgentStatus a, long nowMillis) {
        if (a.restored()) {
            return true;
        }
        long allowed = Math.multiplyExact(Math.max(1, a.intervalMillis()), (long) staleAfterHeartbeats);
        return nowMillis - a.lastSeen() > allowed;
    }

    public int staleAfterHeartbeats() {
        return staleAfterHeartbeats;
    }
}
