package io.rvi.agent.failover;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.EventSink;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.http.AgentHttpServer;
import io.rvi.agent.metrics.AgentMetrics;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link FailoverHandling} with a fake {@link MasterOracle} (whatever {@link #quorum} holds), a real
 * AgentHttpServer on a free port, Vert.x and an ActionRunner. Close it in {@code @AfterEach}.
 */
final class FailoverRig implements AutoCloseable {
    static final String TOKEN = "tok-failover-test-0123456789";

    final Vertx vertx = Vertx.vertx();
    final WorkerExecutor worker = vertx.createSharedWorkerExecutor("test-failover", 4);
    final PrometheusMeterRegistry registry = new AgentMetrics().registry();
    final ActionRunner actions = new ActionRunner(vertx, registry, EventSink.NONE, Clock.SYSTEM, new Random());
    /** The oracle's answer: a master, empty (no quorum), or null (the oracle fails: sentinels unreachable). */
    final AtomicReference<Optional<HostPort>> quorum = new AtomicReference<>(Optional.empty());
    /** When set, answers instead of {@link #quorum}. */
    volatile MasterOracle delegate;
    final MasterOracle oracle = () -> {
        if (delegate != null) {
            return delegate.quorumMaster();
        }
        Optional<HostPort> q = quorum.get();
        return q == null ? Future.failedFuture("sentinels unreachable (test)") : Future.succeededFuture(q);
    };
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    FailoverHandling failover;
    AgentHttpServer server;

    static AgentConfig config(HostPort redis, AgentConfig.Haproxy haproxy, AgentConfig.Hooks hooks, List<HostPort> sentinels) {
        AgentConfig.Service svc = new AgentConfig.Service("redis", AgentConfig.Kind.REDIS, redis, null, AgentConfig.Mode.NONE, null,
                List.of(), null, null, Duration.ofSeconds(1), Duration.ofSeconds(3), 3);
        AgentConfig.Failover f = new AgentConfig.Failover("mymaster", sentinels, true, 1024 * 1024, Duration.ofMillis(300));
        AgentConfig.Http h = new AgentConfig.Http("127.0.0.1", 0, 64 * 1024, new Secret(TOKEN, "test"), null, null);
        return new AgentConfig(null, null, h, null, null, null, null, Map.of("redis", svc), f, haproxy, hooks);
    }

    FailoverRig start(AgentConfig config) throws Exception {
        failover = new FailoverHandling(vertx, config, oracle, actions, EventSink.NONE, registry, worker, Clock.SYSTEM);
        server = new AgentHttpServer(vertx, config.http(), new StateHolder("a", "c", "h", "t", Clock.SYSTEM), registry, () -> true);
        failover.routes(server);
        await(server.start());
        failover.start();
        return this;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    double gauge(String name) {
        var g = registry.find(name).gauge();
        return g == null ? -1 : g.value();
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    @Override
    public void close() throws Exception {
        if (failover != null) {
            await(failover.stop());
        }
        if (server != null) {
            await(server.stop());
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
