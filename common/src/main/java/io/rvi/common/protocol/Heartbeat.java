package io.rvi.common.protocol;

/**
 * Sent by an agent every {@code intervalMillis} (jittered): who it is and its whole observed state.
 * The first heartbeat registers the agent.
 */
public record Heartbeat(
        String agentId,
        String incarnation,
        String cluster,
        String host,
        String version,
        long sentAt,
        long intervalMillis,
        ObservedState state) {}
