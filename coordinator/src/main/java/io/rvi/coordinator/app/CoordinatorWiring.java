package io.rvi.coordinator.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.common.Clock;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import io.rvi.common.config.ConfigReader;
import io.rvi.coordinator.config.CoordinatorConfig;
import io.rvi.coordinator.fleet.Fleet;
import io.rvi.coordinator.fleet.FleetMonitor;
import io.rvi.coordinator.fleet.Staleness;
import io.rvi.coordinator.http.ApiServer;
import io.rvi.coordinator.http.Tokens;
import io.rvi.coordinator.store.AsyncStore;
import io.rvi.coordinator.store.Retention;
import io.rvi.coordinator.store.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the coordinator is put together: every component is built here by its
 * constructor, started in order (store, fleet from the store, HTTP, periodic tasks) and stopped in
 * reverse. Used by {@link CoordinatorMain} and, in-process, by tests.
 */
public final class CoordinatorWiring {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorWiring.class);
    static final Duration RETENTION_PERIOD = Duration.ofMinutes(10);
    static final Duration SWEEP_PERIOD = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final CoordinatorConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Fleet fleet;
    private final FleetMonitor fleetMonitor;
    private volatile boolean ready;
    private AsyncStore store;
    private Retention retention;
    private ApiServer api;

    /** A coordinator with its own Vert.x instance (closed by {@link #stop()}). */
    public CoordinatorWiring(CoordinatorConfig config, Clock clock) {
        this(Vertx.vertx(), true, config, clock);
    }

    /** A coordinator on a caller's Vert.x instance (left open by {@link #stop()}). */
    public CoordinatorWiring(Vertx vertx, CoordinatorConfig config, Clock clock) {
        this(vertx, false, config, clock);
    }

    private CoordinatorWiring(Vertx vertx, boolean ownsVertx, CoordinatorConfig config, Clock clock) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.config = config;
        this.clock = clock;
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.fleet = new Fleet(clock, new Staleness(config.fleet().staleAfterHeartbeats()));
        this.fleetMonitor = new FleetMonitor(vertx, fleet, registry, SWEEP_PERIOD);
    }

    /**
     * Opens the store, rebuilds the fleet from it and starts serving. Fails with a
     * {@link StartupException} carrying the exit code (store not writable 5, port in use 3), having
     * closed what it opened; call {@link #stop()} then to release Vert.x.
     */
    public Future<Void> start() {
        CoordinatorConfig.Store sc = config.store();
        return vertx.executeBlocking(() -> SqliteStore.open(sc.path()))
                .compose(sqlite -> {
                    store = new AsyncStore(vertx, sqlite);
                    return store.agents();
                })
                .compose(rows -> {
                    fleet.restore(rows);
                    api = new ApiServer(vertx, config.http(), new Tokens(config.auth()), fleet, store, registry, clock, () -> ready);
                    return api.listen();
                })
                .<Void>map(port -> {
                    retention = new Retention(vertx, store, clock, sc.eventRetention(), sc.maxEvents(), RETENTION_PERIOD);
                    retention.start();
                    fleetMonitor.start();
                    ready = true;
                    LOG.info("coordinator listening on {}:{} (store {}, events kept {} / at most {})", config.http().bind(), port,
                            sc.path(), ConfigReader.format(sc.eventRetention()), sc.maxEvents());
                    return null;
                })
                .recover(e -> {
                    Throwable failure = e instanceof StartupException ? e
                            : new StartupException(ExitCode.INTERNAL, "startup failed: " + e.getMessage(), e);
                    return stopComponents().transform(ignored -> Future.failedFuture(failure));
                });
    }

    /** The port the API listens on (useful with port 0), or -1 before start. */
    public int port() {
        return api == null ? -1 : api.port();
    }

    public boolean ready() {
        return ready;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Stops serving, then closes the store (after queued writes) and, if owned, Vert.x. Safe to call
     * after a failed {@link #start()} and more than once. The returned future completes on no
     * Vert.x context (Vert.x may be closed by then).
     */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        stopComponents().onComplete(ar -> {
            gcMetrics.close();
            registry.close();
            if (ownsVertx) {
                vertx.close().onComplete(x -> done.tryComplete());
            } else {
                done.tryComplete();
            }
        });
        return done.future();
    }

    private Future<Void> stopComponents() {
        ready = false;
        fleetMonitor.stop();
        if (retention != null) {
            retention.stop();
        }
        Future<Void> http = api == null ? Future.succeededFuture() : api.close();
        AsyncStore s = store;
        store = null;
        return http.transform(ar -> s == null ? Future.<Void>succeededFuture() : s.close());
    }
}
