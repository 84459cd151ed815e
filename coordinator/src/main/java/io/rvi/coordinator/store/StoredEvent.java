package io.rvi.coordinator.store;

import java.util.Map;

/** One event in the journal. {@code id} is the journal's own increasing cursor. */
public record StoredEvent(
        long id,
        String agentId,
        String incarnation,
        long seq,
        long time,
        String type,
        String severity,
        String service,
        String message,
        Map<String, Object> data,
        long receivedAt) {}
