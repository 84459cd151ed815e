package io.rvi.coordinator.store;

import io.rvi.common.protocol.ObservedState;

/** One row of the agent registry: who the agent is and its last reported state. */
public record AgentRow(
        String agentId,
        String cluster,
        String host,
        String version,
        String incarnation,
        long firstSeen,
        long lastSeen,
        long intervalMillis,
        ObservedState lastState) {}
