package io.rvi.agent.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.StateHolder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP listener: {@code GET /health/live}, {@code GET /health/ready} (503 until
 * {@code ready} says so), {@code GET /status} (the {@code ObservedState} as JSON), {@code GET /metrics}
 * (Prometheus text 0.0.4: the registry, then what {@link #addExposition} adds), and action routes added
 * with {@link #action} under {@code /actions}, guarded by the bearer token of {@code http.token_file}
 * (403 when none is set). Errors use the JSON shape of {@code HttpErrors}. TLS when
 * {@code http.tls.cert_file}/{@code key_file} are set.
 *
 * <p>{@link #start()} fails with a {@code StartupException} ({@code PORT_IN_USE} when the port is
 * taken). {@link #reconfigure} applies a new token or body limit without rebinding, reloads the TLS
 * files, and rebinds only when the address, port or TLS setting changed. Call from one thread (the
 * wiring's event loop).
 */
public final class AgentHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
    private static final long STOP_GRACE_MILLIS = 2000;

    private final Vertx vertx;
    private final ActionGate gate;
    private final AgentRoutes routes;
    private volatile Router router;
    private AgentConfig.Http config;
    private AgentConfig.Http bound;     // what the listener was bound with (port: the real one), or null
    private HttpServer server;

    public AgentHttpServer(Vertx vertx, AgentConfig.Http config, StateHolder state, PrometheusMeterRegistry registry,
                           BooleanSupplier ready) {
        this.vertx = vertx;
        this.config = config;
        this.gate = new ActionGate(config.token());
        this.routes = new AgentRoutes(vertx, state, registry, ready, gate);
        this.router = routes.build(config.maxBodyBytes());
    }

    /**
     * Adds an action route at {@code /actions + path} ({@code path} may already start with
     * {@code /actions/}). Requests reach {@code handler} only with the configured bearer token; the
     * handler finds the principal's name in {@code ctx.get("principal")}. Can be called before or after {@link #start()}.
     */
    public synchronized void action(HttpMethod method, String path, Handler<RoutingContext> handler) {
        String mounted = routes.add(method, path, handler, router);
        LOG.debug("http: action route {} {}", method, mounted);
    }

    /**
     * Adds a read-only {@code GET path} that needs no token (e.g. {@code /redis/master} for load
     * balancer health checks). Can be called before or after {@link #start()}.
     */
    public synchronized void read(String path, Handler<RoutingContext> handler) {
        routes.addRead(path, handler, router);
        LOG.debug("http: read route GET {}", path);
    }

    /**
     * Adds text that {@code GET /metrics} appends after the registry's own, already in the Prometheus text
     * format (e.g. Redis metrics under redis_exporter's names, which Micrometer would rename). {@code extra} is
     * called on an event loop for every scrape and must not block; when its future fails, or is not done
     * within {@value AgentRoutes#EXTRA_TIMEOUT_MILLIS} ms, the scrape is served without it.
     */
    public void addExposition(Supplier<Future<String>> extra) {
        routes.addExposition(extra);
    }

    /** Binds; fails with a {@link io.rvi.common.StartupException} saying why it could not. */
    public synchronized Future<Void> start() {
        if (server != null) {
            return Future.failedFuture(new IllegalStateException("already started"));
        }
        return listen(config).onSuccess(s -> {
            LOG.info("http: listening on {}:{}{}{}", config.bind(), s.actualPort(), config.tls() ? " (TLS)" : "",
                    gate.enabled() ? "" : "; action endpoints disabled (no http.token_file)");
        }).mapEmpty();
    }

    /** The port listened on (the real one when {@code http.port} is 0), or -1 when not listening. */
    public synchronized int port() {
        return server == null ? -1 : server.actualPort();
    }

    /**
     * Applies {@code next}. A token change or body limit change never rebinds. Fails (keeping the
     * old listener when it can) if a changed address cannot be bound.
     */
    public synchronized Future<Void> reconfigure(AgentConfig.Http next) {
        AgentConfig.Http prev = config;
        config = next;
        if (!Objects.equals(prev.token(), next.token())) {
            gate.token(next.token());
            LOG.info("http: action token {}", next.token() == null ? "removed; action endpoints disabled"
                    : "set from " + next.token().source());
        }
        if (prev.maxBodyBytes() != next.maxBodyBytes()) {
            router = routes.build(next.maxBodyBytes());
        }
        if (server == null) {
            return Future.succeededFuture();
        }
        boolean samePort = next.port() == 0 ? prev.port() == 0 : next.port() == bound.port();
        if (!bound.bind().equals(next.bind()) || !samePort || bound.tls() != next.tls()
                || !Objects.equals(bound.tlsKeyFile(), next.tlsKeyFile()) || !Objects.equals(bound.tlsCertFile(), next.tlsCertFile())) {
            return rebind(next);
        }
        if (next.tls()) {
            // same files, perhaps new contents (a renewed certificate): reload them
            return server.updateSSLOptions(sslOptions(next), true).mapEmpty();
        }
        return Future.succeededFuture();
    }

    /** Stops listening; requests in flight get a short grace period. */
    public synchronized Future<Void> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        HttpServer s = server;
        server = null;
        bound = null;
        return s.shutdown(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Moves the listener; if the new address cannot be bound, binds the old one again and fails. */
    private Future<Void> rebind(AgentConfig.Http next) {
        AgentConfig.Http old = bound;
        LOG.info("http: moving from {}{} to {}{}", ListenFailure.address(old), old.tls() ? " (TLS)" : "",
                ListenFailure.address(next), next.tls() ? " (TLS)" : "");
        HttpServer oldServer = server;
        server = null;
        bound = null;
        return oldServer.close().transform(closed -> listen(next)).transform(ar -> {
            if (ar.succeeded()) {
                LOG.info("http: listening on {}:{}{}", next.bind(), ar.result().actualPort(), next.tls() ? " (TLS)" : "");
                return Future.<Void>succeededFuture();
            }
            LOG.error("{}; listening on {} again", ar.cause().getMessage(), ListenFailure.address(old));
            return listen(old).transform(back -> Future.<Void>failedFuture(ar.cause()));
        });
    }

    private Future<HttpServer> listen(AgentConfig.Http cfg) {
        HttpServerOptions options = new HttpServerOptions().setHost(cfg.bind()).setPort(cfg.port()).setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (cfg.tls()) {
            options.setSsl(true).setKeyCertOptions(keyCert(cfg));
        }
        HttpServer s = vertx.createHttpServer(options).requestHandler(req -> router.handle(req));
        return s.listen().recover(t -> Future.failedFuture(ListenFailure.of(cfg, t))).onSuccess(ok -> {
            synchronized (this) {
                server = ok;
                bound = new AgentConfig.Http(cfg.bind(), ok.actualPort(), cfg.maxBodyBytes(), null, cfg.tlsCertFile(), cfg.tlsKeyFile());
            }
        });
    }

    private static ServerSSLOptions sslOptions(AgentConfig.Http cfg) {
        return new ServerSSLOptions().setKeyCertOptions(keyCert(cfg));
    }

    private static PemKeyCertOptions keyCert(AgentConfig.Http cfg) {
        return new PemKeyCertOptions().setCertPath(cfg.tlsCertFile().toString()).setKeyPath(cfg.tlsKeyFile().toString());
    }
}
