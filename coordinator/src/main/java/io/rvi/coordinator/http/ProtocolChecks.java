package io.rvi.coordinator.http;

import io.rvi.common.http.HttpErrors.BadRequest;
import io.rvi.common.protocol.AgentEvent;
import io.rvi.common.protocol.EventBatch;
import io.rvi.common.protocol.Heartbeat;
import io.rvi.common.protocol.ServiceState;
import io.rvi.coordinator.config.CoordinatorConfigLoader;

/**
 * What an agent's heartbeat and event batch must look like to be accepted. Each check throws
 * {@link BadRequest} (answered 400) naming the first thing wrong; nothing is stored before all
 * checks pass.
 */
public final class ProtocolChecks {
    public static final int MAX_BATCH = 10_000;
    private static final int MAX_TEXT = 256;

    private ProtocolChecks() {}

    public static void agentId(String id) {
        if (id == null || !CoordinatorConfigLoader.AGENT_ID.matcher(id).matches()) {
            throw new BadRequest("agent id: expected 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    public static void heartbeat(String pathId, Heartbeat hb) {
        if (hb == null) {
            throw new BadRequest("expected a heartbeat JSON object");
        }
        sameAgent(pathId, hb.agentId());
        text("incarnation", hb.incarnation());
        if (hb.cluster() == null || !CoordinatorConfigLoader.AGENT_ID.matcher(hb.cluster()).matches()) {
            throw new BadRequest("cluster: expected 1-63 letters, digits, '.', '_' or '-'");
        }
        text("host", hb.host());
        if (hb.version() != null && hb.version().length() > MAX_TEXT) {
            throw new BadRequest("version: longer than " + MAX_TEXT + " characters");
        }
        if (hb.intervalMillis() < 100 || hb.intervalMillis() > 3_600_000) {
            throw new BadRequest("intervalMillis: expected 100 to 3600000, got " + hb.intervalMillis());
        }
        if (hb.state() == null || hb.state().services() == null) {
            throw new BadRequest("state: expected the agent's observed state with its list of services");
        }
        for (ServiceState s : hb.state().services()) {
            if (s == null || s.name() == null || s.name().isBlank()) {
                throw new BadRequest("state.services: every service needs a name");
            }
        }
    }

    public static void batch(String pathId, EventBatch b) {
        if (b == null) {
            throw new BadRequest("expected an event batch JSON object");
        }
        sameAgent(pathId, b.agentId());
        text("incarnation", b.incarnation());
        if (b.events() == null) {
            throw new BadRequest("events: expected a list (may be empty)");
        }
        if (b.events().size() > MAX_BATCH) {
            throw new BadRequest("events: at most " + MAX_BATCH + " per batch, got " + b.events().size());
        }
        long prev = 0;
        for (int i = 0; i < b.events().size(); i++) {
            AgentEvent e = b.events().get(i);
            String at = "events[" + i + "]";
            if (e == null) {
                throw new BadRequest(at + ": expected an event object");
            }
            if (e.seq() <= prev) {
                throw new BadRequest(at + ".seq: expected seq numbers from 1, increasing within the batch; got " + e.seq() + " after " + prev);
            }
            prev = e.seq();
            if (e.time() < 0) {
                throw new BadRequest(at + ".time: expected epoch milliseconds");
            }
            text(at + ".type", e.type());
            text(at + ".severity", e.severity());
            if (e.message() == null) {
                throw new BadRequest(at + ".message: required");
            }
        }
    }

    private static void sameAgent(String pathId, String bodyId) {
        if (bodyId == null || !bodyId.equals(pathId)) {
            throw new BadRequest("agentId: the body's agentId must equal the agent id in the path");
        }
    }

    private static void text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequest(field + ": required, a non-empty string");
        }
        if (value.length() > MAX_TEXT) {
            throw new BadRequest(field + ": longer than " + MAX_TEXT + " characters");
        }
    }
}
