package io.rvi.agent.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.metrics.AgentMetrics;
import io.rvi.common.Json;
import io.rvi.common.http.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The agent's routes: {@code /health/live}, {@code /health/ready}, {@code /status}, {@code /metrics},
 * and the action routes others add, all behind {@link ActionGate}. Builds a fresh {@link Router}
 * whenever the body limit changes; action routes are remembered and added to every router built.
 */
final class AgentRoutes {
    static final String ACTIONS = "/actions";
    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final StateHolder state;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final ActionGate gate;
    private final List<Action> actions = new CopyOnWriteArrayList<>();

    private final List<Action> reads = new CopyOnWriteArrayList<>();

    private record Action(HttpMethod method, String path, Handler<RoutingContext> handler) {}

    AgentRoutes(Vertx vertx, StateHolder state, PrometheusMeterRegistry registry, BooleanSupplier ready, ActionGate gate) {
        this.vertx = vertx;
        this.state = state;
        this.registry = registry;
        this.ready = ready;
        this.gate = gate;
    }

    Router build(long maxBodyBytes) {
        Router router = Router.router(vertx);
        HttpErrors.install(router, maxBodyBytes);
        router.get("/health/live").handler(ctx -> json(ctx, 200, "{\"status\":\"live\"}"));
        router.get("/health/ready").handler(ctx -> {
            boolean ok = ready.getAsBoolean();
            json(ctx, ok ? 200 : 503, ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}");
        });
        router.get("/status").handler(ctx -> ctx.response().putHeader("content-type", JSON)
                .end(Buffer.buffer(Json.writeBytes(state.current()))));
        router.get("/metrics").handler(this::metrics);
        for (Action a : reads) {
            router.get(a.path()).handler(a.handler());
        }
        for (Action a : actions) {
            mount(router, a);
        }
        return router;
    }

    /** Remembers an action route and adds it to {@code current} (the router serving now, if any). */
    String add(HttpMethod method, String path, Handler<RoutingContext> handler, Router current) {
        Action a = new Action(method, actionPath(path), handler);
        actions.add(a);
        if (current != null) {
            mount(current, a);
        }
        return a.path();
    }

    /** Remembers a read-only GET route without a token (load-balancer checks) and adds it to {@code current}. */
    void addRead(String path, Handler<RoutingContext> handler, Router current) {
        if (path.startsWith(ACTIONS)) {
            throw new IllegalArgumentException("read routes are not under " + ACTIONS + ": " + path);
        }
        reads.add(new Action(HttpMethod.GET, path, handler));
        if (current != null) {
            current.get(path).handler(handler);
        }
    }

    /** {@code path} as mounted: under {@value #ACTIONS}, whether or not it already starts with it. */
    static String actionPath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("action path must start with '/': " + path);
        }
        return path.equals(ACTIONS) || path.startsWith(ACTIONS + "/") ? path : ACTIONS + path;
    }

    private void mount(Router router, Action a) {
        router.route(a.method(), a.path()).handler(gate).handler(a.handler());
    }

    /** Serialised off the event loop: the JVM binders read /proc, and a big registry takes a few ms. */
    private void metrics(RoutingContext ctx) {
        vertx.executeBlocking(() -> registry.scrape(AgentMetrics.CONTENT_TYPE), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().putHeader("content-type", AgentMetrics.CONTENT_TYPE).end(ar.result());
        });
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("content-type", JSON).putHeader("cache-control", "no-store").end(body);
    }
}
