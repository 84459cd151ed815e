package io.rvi.coordinator.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.common.Clock;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import io.rvi.common.http.HttpErrors;
import io.rvi.coordinator.config.CoordinatorConfig;
import io.rvi.coordinator.fleet.Fleet;
import io.rvi.coordinator.store.AsyncStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.BindException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The coordinator's HTTP API: agent routes, operator routes, health (no auth) and Prometheus
 * metrics (no auth). See docs in {@link AgentApi} and {@link OperatorApi}.
 */
public final class ApiServer {
    private final Vertx vertx;
    private final CoordinatorConfig.Http config;
    private final Router router;
    private HttpServer server;

    public ApiServer(Vertx vertx, CoordinatorConfig.Http config, Tokens tokens, Fleet fleet, AsyncStore store,
                     PrometheusMeterRegistry registry, Clock clock, BooleanSupplier ready) {
        this.vertx = vertx;
        this.config = config;
        this.router = Router.router(vertx);
        router.route().handler(new RequestMetrics(registry).handler());
        HttpErrors.install(router, config.maxBodyBytes());
        new AgentApi(fleet, store, registry, clock).mount(router, tokens);
        new OperatorApi(fleet, store).mount(router, tokens);
        router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, Map.of("status", "live")));
        router.get("/health/ready").handler(ctx -> {
            boolean ok = ready.getAsBoolean();
            Responses.json(ctx, ok ? 200 : 503, Map.of("status", ok ? "ready" : "not ready"));
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
    }

    /** Starts listening; fails with {@link ExitCode#PORT_IN_USE} when the address is taken. */
    public Future<Integer> listen() {
        HttpServerOptions opts = new HttpServerOptions().setHost(config.bind()).setPort(config.port())
                .setCompressionSupported(true);
        return vertx.createHttpServer(opts).requestHandler(router).listen()
                .recover(e -> Future.failedFuture(bindFailure(e)))
                .map(s -> {
                    server = s;
                    return s.actualPort();
                });
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private Throwable bindFailure(Throwable e) {
        String where = config.bind() + ":" + config.port();
        String msg = String.valueOf(e.getMessage());
        if (e instanceof BindException || msg.contains("Address already in use")) {
            return new StartupException(ExitCode.PORT_IN_USE, "http: cannot listen on " + where + ": " + msg, e);
        }
        return new StartupException(ExitCode.INTERNAL, "http: cannot listen on " + where + ": " + msg, e);
    }
}
