package io.rvi.agent.redis.metrics;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Clock;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis and Sentinel metrics under redis_exporter's names, types and labels, for the agent's {@code /metrics}:
 * {@link #scrape()} reads every configured {@code redis} and {@code sentinel} service (INFO ALL and a few cheap
 * commands, pipelined on one kept connection per service) and renders the Prometheus text exposition 0.0.4
 * itself, names exactly as redis_exporter writes them ({@code _total} included); nothing goes through
 * Micrometer. Every series carries {@code service="<name in the config>"}, so a Redis and a Sentinel can share
 * one body. A service that cannot be read within its probe timeout shows {@code redis_up 0} and nothing else.
 * Results are reused for {@code maxAge} (1 s by default), so two scrapes close together load Redis once.
 *
 * <p>Non-blocking: the work runs on one Vert.x context of its own; {@link #scrape()}'s future completes on
 * the caller's context (when it has one). Safe to call from any thread.
 */
public final class RedisExporter {
    private static final Logger LOG = LoggerFactory.getLogger(RedisExporter.class);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Context context;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, ServiceCollector> collectors = new TreeMap<>(); // touched on context only
    private boolean closed;

    public RedisExporter(Vertx vertx, Map<String, AgentConfig.Service> services, Clock clock) {
        this(vertx, services, clock, DEFAULT_MAX_AGE);
    }

    /** @param maxAge how long a collected result is reused (zero: never) */
    public RedisExporter(Vertx vertx, Map<String, AgentConfig.Service> services, Clock clock, Duration maxAge) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.clock = clock;
        this.maxAge = maxAge;
        apply(services);
    }

    /** The text exposition of every Redis and Sentinel service (empty when there is none); never fails. */
    public Future<String> scrape() {
        Context caller = Vertx.currentContext();
        Promise<String> result = Promise.promise();
        context.runOnContext(v -> collectAll().onComplete(ar -> deliver(caller, result, ar)));
        return result.future();
    }

    /** Applies a new set of services: new ones are added, removed ones closed, changed ones reconnected. */
    public Future<Void> reconfigure(Map<String, AgentConfig.Service> services) {
        Map<String, AgentConfig.Service> copy = Map.copyOf(services);
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            if (!closed) {
                apply(copy);
            }
            done.complete();
        });
        return done.future();
    }

    /** Closes every connection; later scrapes give an empty text. */
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            collectors.values().forEach(ServiceCollector::close);
            collectors.clear();
            done.complete();
        });
        return done.future();
    }

    private Future<String> collectAll() {
        if (closed || collectors.isEmpty()) {
            return Future.succeededFuture("");
        }
        List<Future<List<MetricFamily>>> parts = new ArrayList<>();
        collectors.values().forEach(c -> parts.add(c.collect()));
        return Future.join(parts).transform(ar -> {
            List<MetricFamily> all = new ArrayList<>();
            for (Future<List<MetricFamily>> p : parts) {
                if (p.succeeded()) {
                    all.addAll(p.result());
                }
            }
            return Future.succeededFuture(Exposition.render(all));
        });
    }

    private void apply(Map<String, AgentConfig.Service> services) {
        Map<String, AgentConfig.Service> wanted = new TreeMap<>();
        services.forEach((name, s) -> {
            if (s.kind() == AgentConfig.Kind.REDIS || s.kind() == AgentConfig.Kind.SENTINEL) {
                wanted.put(name, s);
            }
        });
        collectors.entrySet().removeIf(e -> {
            AgentConfig.Service next = wanted.get(e.getKey());
            if (next != null && same(e.getValue().service(), next)) {
                return false;
            }
            e.getValue().close();
            return true;
        });
        wanted.forEach((name, s) -> collectors.computeIfAbsent(name, n -> {
            LOG.debug("metrics: reading {} ({}) at {}", n, s.kind().name().toLowerCase(java.util.Locale.ROOT), s.address());
            return new ServiceCollector(vertx, n, s, clock, maxAge);
        }));
    }

    /** Whether a collector for {@code a} can serve {@code b} (same kind, address, password and timeout). */
    private static boolean same(AgentConfig.Service a, AgentConfig.Service b) {
        return a.kind() == b.kind() && a.address().equals(b.address()) && Objects.equals(a.password(), b.password())
                && Objects.equals(a.probeTimeout(), b.probeTimeout());
    }

    private static <T> void deliver(Context caller, Promise<T> promise, AsyncResult<T> ar) {
        if (caller == null) {
            promise.handle(ar);
        } else {
            caller.runOnContext(v -> promise.handle(ar));
        }
    }
}
