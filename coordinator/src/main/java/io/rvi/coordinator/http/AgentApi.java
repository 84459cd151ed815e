package io.rvi.coordinator.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.common.Clock;
import io.rvi.common.Json;
import io.rvi.common.protocol.EventBatch;
import io.rvi.common.protocol.Heartbeat;
import io.rvi.coordinator.fleet.AgentStatus;
import io.rvi.coordinator.fleet.Fleet;
import io.rvi.coordinator.store.AsyncStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routes agents call: {@code PUT /v1/agents/{id}/heartbeat} and
 * {@code POST /v1/agents/{id}/events}. A request is checked whole before anything is stored; the
 * answer comes after the store has committed, so an agent can trust it.
 */
final class AgentApi {
    private final Fleet fleet;
    private final AsyncStore store;
    private final Clock clock;
    private final Counter eventsStored;

    AgentApi(Fleet fleet, AsyncStore store, MeterRegistry registry, Clock clock) {
        this.fleet = fleet;
        this.store = store;
        this.clock = clock;
        this.eventsStored = Counter.builder("rvi.coordinator.events.stored")
                .description("Agent events stored in the journal (resent duplicates not counted)").register(registry);
    }

    void mount(Router router, Tokens tokens) {
        router.put("/v1/agents/:id/heartbeat").handler(AuthHandlers.agent(tokens)).handler(this::heartbeat);
        router.post("/v1/agents/:id/events").handler(AuthHandlers.agent(tokens)).handler(this::events);
    }

    private void heartbeat(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ProtocolChecks.agentId(id);
        Heartbeat hb = Json.read(body(ctx), Heartbeat.class);
        ProtocolChecks.heartbeat(id, hb);
        AgentStatus next = fleet.next(hb);
        store.upsertAgent(next.toRow()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            fleet.apply(next);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", true);
            out.put("interval_ms", hb.intervalMillis());
            Responses.json(ctx, 200, out);
        });
    }

    private void events(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ProtocolChecks.agentId(id);
        EventBatch batch = Json.read(body(ctx), EventBatch.class);
        ProtocolChecks.batch(id, batch);
        store.insertEvents(id, batch.incarnation(), batch.events(), clock.millis()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            eventsStored.increment(ar.result().stored());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("acked_seq", ar.result().ackedSeq());
            out.put("stored", ar.result().stored());
            Responses.json(ctx, 200, out);
        });
    }

    private static byte[] body(RoutingContext ctx) {
        Buffer b = ctx.body() == null ? null : ctx.body().buffer();
        return b == null ? new byte[0] : b.getBytes();
    }
}
