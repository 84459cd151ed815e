package io.rvi.agent.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.metrics.AgentMetrics;
import io.rvi.common.Json;
import io.rvi.common.http.HttpErrors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's routes: {@code /health/live}, {@code /health/ready}, {@code /status}, {@code /metrics},
 * and the action routes others add, all behind {@link ActionGate}. Builds a fresh {@link Router}
 * whenever the body limit changes; action routes are remembered and added to every router built.
 */
final class AgentRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRoutes.class);
    static final String ACTIONS = "/actions";
    static final long EXTRA_TIMEOUT_MILLIS = 6_000;
    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final StateHolder state;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final ActionGate gate;
    private final List<Action> actions = new CopyOnWriteArrayList<>();
    private final List<Supplier<Future<String>>> expositions = new CopyOnWriteArrayList<>();

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

    void addExposition(Supplier<Future<String>> extra) {
        expositions.add(extra);
    }

    /**
     * Serialised off the event loop: the JVM binders read /proc, and a big registry takes a few ms. The extra
     * expositions are asked for at the same time and appended; one that fails or is late is left out.
     */
    private void metrics(RoutingContext ctx) {
        List<Future<String>> extras = new ArrayList<>();
        for (Supplier<Future<String>> e : expositions) {
            extras.add(extra(e));
        }
        vertx.executeBlocking(() -> registry.scrape(AgentMetrics.CONTENT_TYPE), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Context here = Vertx.currentContext();
            Future.join(extras).onComplete(done -> {
                if (here != null && Vertx.currentContext() != here) {
                    here.runOnContext(v -> end(ctx, ar.result(), extras));
                } else {
                    end(ctx, ar.result(), extras);
                }
            });
        });
    }

    private static void end(RoutingContext ctx, String registryText, List<Future<String>> extras) {
        StringBuilder body = new StringBuilder(registryText);
        for (Future<String> e : extras) {
            String text = e.succeeded() ? e.result() : null;
            if (text != null && !text.isEmpty()) {
                if (body.length() > 0 && body.charAt(body.length() - 1) != '\n') {
                    body.append('\n');
                }
                body.append(text);
            }
        }
        ctx.response().putHeader("content-type", AgentMetrics.CONTENT_TYPE).end(body.toString());
    }

    private Future<String> extra(Supplier<Future<String>> supplier) {
        Promise<String> p = Promise.promise();
        long timer = vertx.setTimer(EXTRA_TIMEOUT_MILLIS, id -> {
            if (p.tryFail("not done within " + EXTRA_TIMEOUT_MILLIS + " ms")) {
                LOG.warn("http: /metrics served without an extra exposition: not done within {} ms", EXTRA_TIMEOUT_MILLIS);
            }
        });
        Future<String> f;
        try {
            f = Objects.requireNonNullElse(supplier.get(), Future.succeededFuture(""));
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed() && p.tryFail(ar.cause())) {
                LOG.warn("http: /metrics served without an extra exposition: {}", String.valueOf(ar.cause().getMessage()));
            } else if (ar.succeeded()) {
                p.tryComplete(ar.result());
            }
        });
        return p.future();
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("content-type", JSON).putHeader("cache-control", "no-store").end(body);
    }
}
