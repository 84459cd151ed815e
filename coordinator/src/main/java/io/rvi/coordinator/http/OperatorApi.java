package io.rvi.coordinator.http;

import io.rvi.common.http.HttpErrors.BadRequest;
import io.rvi.common.protocol.ServiceState;
import io.rvi.coordinator.fleet.AgentStatus;
import io.rvi.coordinator.fleet.Fleet;
import io.rvi.coordinator.store.AsyncStore;
import io.rvi.coordinator.store.EventQuery;
import io.rvi.coordinator.store.StoredEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routes operators call: {@code GET /v1/fleet} (every agent with its services and whether it
 * is stale, and the agents of each cluster) and {@code GET /v1/events} (the journal, paged with
 * the {@code since} cursor: pass the {@code next} of one page to get the following one).
 */
final class OperatorApi {
    static final int DEFAULT_LIMIT = 100;

    private final Fleet fleet;
    private final AsyncStore store;

    OperatorApi(Fleet fleet, AsyncStore store) {
        this.fleet = fleet;
        this.store = store;
    }

    void mount(Router router, Tokens tokens) {
        router.get("/v1/fleet").handler(AuthHandlers.operator(tokens)).handler(this::fleet);
        router.get("/v1/events").handler(AuthHandlers.operator(tokens)).handler(this::events);
    }

    private void fleet(RoutingContext ctx) {
        List<Map<String, Object>> agents = new ArrayList<>();
        Map<String, List<String>> clusters = new TreeMap<>();
        for (AgentStatus a : fleet.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent_id", a.agentId());
            m.put("cluster", a.cluster());
            m.put("host", a.host());
            m.put("version", a.version());
            m.put("incarnation", a.incarnation());
            m.put("first_seen", a.firstSeen());
            m.put("last_seen", a.lastSeen());
            m.put("interval_ms", a.intervalMillis());
            m.put("stale", fleet.isStale(a));
            m.put("ready", a.state() != null && a.state().ready());
            List<ServiceState> services = a.state() == null ? List.of() : a.state().services();
            m.put("services", services);
            agents.add(m);
            clusters.computeIfAbsent(a.cluster(), k -> new ArrayList<>()).add(a.agentId());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agents", agents);
        out.put("clusters", clusters);
        Responses.json(ctx, 200, out);
    }

    private void events(RoutingContext ctx) {
        long since = longParam(ctx, "since", 0);
        long limit = longParam(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > EventQuery.MAX_LIMIT) {
            throw new BadRequest("limit: expected 1 to " + EventQuery.MAX_LIMIT + ", got " + limit);
        }
        String agent = ctx.queryParams().get("agent");
        if (agent != null) {
            ProtocolChecks.agentId(agent);
        }
        String type = ctx.queryParams().get("type");
        if (type != null && (type.isBlank() || type.length() > 256)) {
            throw new BadRequest("type: expected an event type");
        }
        EventQuery q = new EventQuery(since, agent, type, (int) limit);
        store.events(q).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            List<Map<String, Object>> events = new ArrayList<>();
            long next = since;
            for (StoredEvent e : ar.result()) {
                events.add(json(e));
                next = e.id();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("events", events);
            out.put("next", next);
            out.put("more", events.size() == q.limit());
            Responses.json(ctx, 200, out);
        });
    }

    private static Map<String, Object> json(StoredEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("agent_id", e.agentId());
        m.put("incarnation", e.incarnation());
        m.put("seq", e.seq());
        m.put("time", e.time());
        m.put("type", e.type());
        m.put("severity", e.severity());
        m.put("service", e.service());
        m.put("message", e.message());
        m.put("data", e.data());
        m.put("received_at", e.receivedAt());
        return m;
    }

    private static long longParam(RoutingContext ctx, String name, long def) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + ": expected a whole number of 0 or more, got \"" + v + "\"");
        }
    }
}
