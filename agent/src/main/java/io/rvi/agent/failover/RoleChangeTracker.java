package io.rvi.agent.failover;

/**
 * Follows the local Redis' role across observations and tells when it changed. The first observation
 * (after the agent starts) is not a change; an unknown role (Redis not answering) is skipped, so
 * master -> (down) -> master is no change, and master -> (down) -> replica is one.
 */
public final class RoleChangeTracker {
    /** @param seq increases by one per change (part of the hook's dedupe id) */
    public record Change(String from, String to, long seq) {}

    private String last;
    private long seq;

    /** The change this observation makes, or null. */
    public synchronized Change observe(String role) {
        if (role == null || role.equals("unknown")) {
            return null;
        }
        String prev = last;
        last = role;
        if (prev == null || prev.equals(role)) {
            return null;
        }
        return new Change(prev, role, ++seq);
    }
}
