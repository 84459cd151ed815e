package io.rvi.common.protocol;

import java.util.List;

/** Events sent together, in seq order. */
public record EventBatch(String agentId, String incarnation, List<AgentEvent> events) {}
