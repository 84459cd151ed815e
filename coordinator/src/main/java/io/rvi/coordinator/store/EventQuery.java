package io.rvi.coordinator.store;

/**
 * A page of the journal: events with an id greater than {@code afterId}, oldest first, optionally
 * of one agent and/or one type, at most {@code limit}.
 */
public record EventQuery(long afterId, String agentId, String type, int limit) {
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: expected 1 to " + MAX_LIMIT + ", got " + limit);
        }
        if (afterId < 0) {
            throw new IllegalArgumentException("since: expected a cursor of 0 or more, got " + afterId);
        }
    }
}
