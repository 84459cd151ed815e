package io.rvi.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.http.HttpErrors.BadRequest;
import io.rvi.common.protocol.AgentEvent;
import io.rvi.common.protocol.EventBatch;
import io.rvi.common.protocol.Heartbeat;
import io.rvi.common.protocol.ObservedState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolChecksTest {
    private static final ObservedState STATE = new ObservedState("a1", "main", "h", "1", 0, 0, true, List.of());

    private static Heartbeat hb(String id, long interval, ObservedState st) {
        return new Heartbeat(id, "inc", "main", "h", "1", 0, interval, st);
    }

    private static AgentEvent ev(long seq) {
        return new AgentEvent(seq, 1, "t", "info", null, "m", Map.of());
    }

    @Test
    void agentIds() {
        assertDoesNotThrow(() -> ProtocolChecks.agentId("redis-1.dc_2"));
        for (String bad : new String[] {"", "-x", ".x", "a b", "a/b", "x".repeat(64)}) {
            assertThrows(BadRequest.class, () -> ProtocolChecks.agentId(bad), bad);
        }
    }

    @Test
    void heartbeats() {
        assertDoesNotThrow(() -> ProtocolChecks.heartbeat("a1", hb("a1", 5000, STATE)));
        BadRequest e = assertThrows(BadRequest.class, () -> ProtocolChecks.heartbeat("a1", hb("a2", 5000, STATE)));
        assertTrue(e.getMessage().contains("agentId"));
        assertThrows(BadRequest.class, () -> ProtocolChecks.heartbeat("a1", hb("a1", 0, STATE)));
        assertThrows(BadRequest.class, () -> ProtocolChecks.heartbeat("a1", hb("a1", 5000, null)));
        assertThrows(BadRequest.class, () -> ProtocolChecks.heartbeat("a1", null));
        assertThrows(BadRequest.class, () -> ProtocolChecks.heartbeat("a1", new Heartbeat("a1", null, "main", "h", "1", 0, 5000, STATE)));
        assertThrows(BadRequest.class, () -> ProtocolChecks.heartbeat("a1", new Heartbeat("a1", "i", "bad cluster", "h", "1", 0, 5000, STATE)));
    }

    @Test
    void batches() {
        assertDoesNotThrow(() -> ProtocolChecks.batch("a1", new EventBatch("a1", "inc", List.of(ev(1), ev(2), ev(7)))));
        assertDoesNotThrow(() -> ProtocolChecks.batch("a1", new EventBatch("a1", "inc", List.of())));
        assertThrows(BadRequest.class, () -> ProtocolChecks.batch("a1", new EventBatch("a2", "inc", List.of())));
        assertThrows(BadRequest.class, () -> ProtocolChecks.batch("a1", new EventBatch("a1", "", List.of())));
        assertThrows(BadRequest.class, () -> ProtocolChecks.batch("a1", new EventBatch("a1", "inc", null)));
        assertThrows(BadRequest.class, () -> ProtocolChecks.batch("a1", new EventBatch("a1", "inc", List.of(ev(2), ev(1)))));
        assertThrows(BadRequest.class, () -> ProtocolChecks.batch("a1", new EventBatch("a1", "inc", List.of(ev(0)))));
        assertThrows(BadRequest.class, () -> ProtocolChecks.batch("a1",
                new EventBatch("a1", "inc", List.of(new AgentEvent(1, 1, "", "info", null, "m", null)))));
        assertThrows(BadRequest.class, () -> ProtocolChecks.batch("a1",
                new EventBatch("a1", "inc", List.of(new AgentEvent(1, 1, "t", "info", null, null, null)))));
    }

    @Test
    void routeLabelsAreFixedNames() {
        org.junit.jupiter.api.Assertions.assertEquals("heartbeat", RequestMetrics.route("/v1/agents/x/heartbeat"));
        org.junit.jupiter.api.Assertions.assertEquals("agent_events", RequestMetrics.route("/v1/agents/x/events"));
        org.junit.jupiter.api.Assertions.assertEquals("fleet", RequestMetrics.route("/v1/fleet"));
        org.junit.jupiter.api.Assertions.assertEquals("other", RequestMetrics.route("/v1/agents/x/y/z"));
        org.junit.jupiter.api.Assertions.assertEquals("other", RequestMetrics.route("/random/" + System.nanoTime()));
    }
}
