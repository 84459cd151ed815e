package io.rvi.coordinator.fleet;

import io.rvi.common.protocol.Heartbeat;
import io.rvi.common.protocol.ObservedState;
import io.rvi.coordinator.store.AgentRow;

/**
 * What the coordinator knows of one agent: its last heartbeat. {@code lastSeen} is the
 * coordinator's own receive time (agents' clocks may be off). {@code restored}: known only from the
 * store since the coordinator started (counts as stale until the agent heartbeats again).
 * {@code state} may be null for an agent restored from an unreadable row.
 */
public record AgentStatus(
        String agentId,
        String cluster,
        String host,
        String version,
        String incarnation,
        long firstSeen,
        long lastSeen,
        long intervalMillis,
        ObservedState state,
        boolean restored) {

    public static AgentStatus restoredFrom(AgentRow r) {
        return new AgentStatus(r.agentId(), r.cluster(), r.host(), r.version(), r.incarnation(), r.firstSeen(), r.lastSeen(),
                r.intervalMillis(), r.lastState(), true);
    }

    /** The status after {@code hb} arrived at {@code now}; {@code previous} may be null (first heartbeat). */
    public static AgentStatus fromHeartbeat(Heartbeat hb, AgentStatus previous, long now) {
        long firstSeen = previous == null ? now : previous.firstSeen();
        return new AgentStatus(hb.agentId(), hb.cluster(), hb.host(), hb.version() == null ? "" : hb.version(),
                hb.incarnation(), firstSeen, now, hb.intervalMillis(), hb.state(), false);
    }

    public AgentRow toRow() {
        return new AgentRow(agentId, cluster, host, version, incarnation, firstSeen, lastSeen, intervalMillis, state);
    }
}
