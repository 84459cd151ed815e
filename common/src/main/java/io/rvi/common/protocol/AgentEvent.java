package io.rvi.common.protocol;

import java.util.Map;

/**
 * Something an agent saw or did, reported to the coordinator. {@code seq} increases by one per
 * event within one agent incarnation (one state directory); the coordinator keys events by
 * (agent, incarnation, seq) so a resent batch is never stored twice.
 */
public record AgentEvent(
        long seq,
        long time,
        String type,
        String severity,
        String service,
        String message,
        Map<String, Object> data) {

    public static final String INFO = "info";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";
}
