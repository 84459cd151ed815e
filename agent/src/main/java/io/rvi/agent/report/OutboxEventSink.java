package io.rvi.agent.report;

import io.rvi.agent.core.EventSink;
import io.rvi.common.Clock;
import io.rvi.common.Json;
import io.rvi.common.protocol.AgentEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@link EventSink}: each event gets the next seq and the current time, goes to the
 * {@link Outbox} (delivered to the coordinator in order), is logged as one line (info, or warn for
 * warning and critical) and is published as JSON on the event bus address {@value #ADDRESS}.
 * Never blocks the caller; callable from any thread.
 */
public final class OutboxEventSink implements EventSink {
    /** Event bus address where every event is published, as a JSON object of {@link AgentEvent}'s fields. */
    public static final String ADDRESS = "rvi.events";
    private static final Logger LOG = LoggerFactory.getLogger("rvi.events");

    private final Vertx vertx;
    private final Outbox outbox;
    private final Clock clock;

    public OutboxEventSink(Vertx vertx, Outbox outbox, Clock clock) {
        this.vertx = vertx;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void emit(String type, String severity, String service, String message, Map<String, Object> data) {
        AgentEvent e = outbox.add(clock.millis(), type, severity == null ? AgentEvent.INFO : severity, service,
                message == null ? "" : message, data);
        if (AgentEvent.INFO.equals(e.severity())) {
            LOG.info("event seq={} type={} service={} severity={}: {}", e.seq(), e.type(), service(e), e.severity(), e.message());
        } else {
            LOG.warn("event seq={} type={} service={} severity={}: {}", e.seq(), e.type(), service(e), e.severity(), e.message());
        }
        vertx.eventBus().publish(ADDRESS, new JsonObject(Json.write(e)));
    }

    private static String service(AgentEvent e) {
        return e.service() == null ? "-" : e.service();
    }
}
