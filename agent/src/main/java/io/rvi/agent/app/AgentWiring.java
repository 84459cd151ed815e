package io.rvi.agent.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.config.AgentConfigLoader;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.ActionSpec;
import io.rvi.agent.core.EventSink;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.failover.FailoverHandling;
import io.rvi.agent.failover.MasterOracle;
import io.rvi.agent.failover.QuorumStartGate;
import io.rvi.agent.http.AgentHttpServer;
import io.rvi.agent.metrics.AgentMetrics;
import io.rvi.agent.metrics.HostMetrics;
import io.rvi.agent.report.Outbox;
import io.rvi.agent.report.OutboxEventSink;
import io.rvi.agent.redis.metrics.RedisExporter;
import io.rvi.agent.report.Reporter;
import io.rvi.agent.sentinel.SentinelMasterOracle;
import io.rvi.agent.sentinel.SentinelWatcher;
import io.rvi.agent.supervision.Supervision;
import io.rvi.common.Clock;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import io.rvi.common.config.ConfigException;
import io.rvi.common.logging.LoggingSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The one place the agent is put together: every component is built here from the config with its
 * constructor, started in order, reconfigured on SIGHUP and stopped on SIGTERM.
 */
public final class AgentWiring {
    private static final Logger LOG = LoggerFactory.getLogger(AgentWiring.class);

    private final AgentConfigLoader loader;
    private final Vertx vertx;
    private final FileLock lock;
    private final StateHolder state;
    private final PrometheusMeterRegistry registry;
    private final Outbox outbox;
    private final EventSink events;
    private final Supervision supervision;
    private final HostMetrics hostMetrics;
    private final AgentHttpServer http;
    private final Reporter reporter;
    private final RedisExporter redisMetrics;
    private final SentinelWatcher sentinels;
    private final FailoverHandling failover;
    private final AtomicLong lastReload = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile AgentConfig config;

    private AgentWiring(AgentConfig config, AgentConfigLoader loader, FileLock lock) {
        this.config = config;
        this.loader = loader;
        this.lock = lock;
        Clock clock = Clock.SYSTEM;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4).setInternalBlockingPoolSize(2)
                .setBlockedThreadCheckInterval(2000));
        WorkerExecutor processes = vertx.createSharedWorkerExecutor("rvi-process", 4, 5, TimeUnit.MINUTES);
        WorkerExecutor io = vertx.createSharedWorkerExecutor("rvi-io", 1, 5, TimeUnit.MINUTES);
        WorkerExecutor host = vertx.createSharedWorkerExecutor("rvi-host", 1, 1, TimeUnit.MINUTES);
        AgentConfig.Agent a = config.agent();
        this.state = new StateHolder(a.id(), a.cluster(), a.host(), AgentMain.version(), clock);
        this.registry = new AgentMetrics().registry();
        this.outbox = Outbox.open(a.stateDir().resolve("outbox"), config.coordinator().outboxMaxEvents(), io, registry);
        this.events = new OutboxEventSink(vertx, outbox, clock);
        ActionRunner actions = new ActionRunner(vertx, registry, events, clock, new SecureRandom());
        this.supervision = new Supervision(vertx, a, config.supervision(), state, events, actions, registry, processes, clock);
        this.hostMetrics = new HostMetrics(vertx, registry, config.metrics(), host, clock);
        this.http = new AgentHttpServer(vertx, config.http(), state, registry, () -> state.current().ready());
        this.reporter = new Reporter(vertx, a, config.coordinator(), state, outbox, registry, clock);
        this.redisMetrics = new RedisExporter(vertx, config.services(), clock);
        http.addExposition(redisMetrics::scrape);
        this.sentinels = config.failover() == null ? null
                : new SentinelWatcher(vertx, config.failover(), localSentinel(config), events, registry, clock);
        boolean hasRedis = config.services().values().stream().anyMatch(s -> s.kind() == AgentConfig.Kind.REDIS);
        if (sentinels != null && hasRedis) {
            WorkerExecutor failoverWorker = vertx.createSharedWorkerExecutor("rvi-failover", 4, 5, TimeUnit.MINUTES);
            MasterOracle oracle = new SentinelMasterOracle(sentinels.quorum(), clock, 200);
            this.failover = new FailoverHandling(vertx, config, oracle, actions, events, registry, failoverWorker, clock);
            supervision.startGate(QuorumStartGate.forConfig(config, oracle, clock));
            failover.routes(http);
            failover.onRoutingSwitched(sentinels.tracker()::routingSwitched);
        } else {
            this.failover = null;
        }
        Gauge.builder("rvi.agent.info", () -> 1).description("The agent's version").tag("version", AgentMain.version())
                .tag("agent", a.id()).tag("cluster", a.cluster()).register(registry);
        Gauge.builder("rvi.agent.ready", () -> state.current().ready() ? 1 : 0).description("1 once the agent is ready").register(registry);
        Gauge.builder("rvi.config.last.reload.success.timestamp", lastReload, x -> x.get() / 1000.0).baseUnit("seconds")
                .description("When the config was last loaded successfully").register(registry);
        lastReload.set(clock.millis());
        routes(actions);
    }

    /** Checks the environment, builds everything and starts it; returns once the agent is ready. */
    public static AgentWiring start(AgentConfig config, AgentConfigLoader loader) {
        LoggingSetup.apply(config.logging().format().name().toLowerCase(), config.logging().level());
        EnvironmentCheck.verify(config);
        AgentWiring w = new AgentWiring(config, loader, lockStateDir(config));
        try {
            w.http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            w.closeQuietly();
            if (e.getCause() instanceof StartupException se) {
                throw se;
            }
            throw new StartupException(ExitCode.INTERNAL, "HTTP server failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            w.closeQuietly();
            throw new StartupException(ExitCode.INTERNAL, "HTTP server failed to start: " + e, e);
        }
        if (w.sentinels != null) {
            w.sentinels.start();
        }
        if (w.failover != null) {
            w.failover.start();
        }
        w.supervision.start(config.services()).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("supervision: start failed, serving what is known: {}", ar.cause().getMessage());
            }
            w.state.markReady();
            LOG.info("agent {} ready: {} service(s) [{}], http {}:{}", config.agent().id(), config.services().size(),
                    String.join(", ", config.services().keySet()), config.http().bind(), w.http.port());
            w.reporter.start();
            w.hostMetrics.start();
        });
        Signal.handle(new Signal("HUP"), s -> w.vertx.runOnContext(v -> w.reload()));
        Runtime.getRuntime().addShutdownHook(new Thread(w::shutdown, "rvi-shutdown"));
        return w;
    }

    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Re-reads the config file and applies the differences; a broken file keeps the running config. */
    void reload() {
        LOG.info("config: reloading {}", config.file());
        vertx.<AgentConfig>executeBlocking(() -> loader.load(config.file())).onComplete(ar -> {
            if (ar.failed()) {
                Throwable t = ar.cause();
                List<String> lines = t instanceof ConfigException ce
                        ? ce.problems().stream().map(Object::toString).toList() : List.of(String.valueOf(t.getMessage()));
                lines.forEach(l -> LOG.error("config: rejected: {}", l));
                LOG.warn("config: keeping the running configuration ({} problem(s) in {})", lines.size(), config.file());
                reloadCounter("rejected").increment();
                events.emit("config_rejected", "warning", null, "config reload rejected; running config kept",
                        Map.of("problems", lines));
                return;
            }
            apply(ar.result());
        });
    }

    private void apply(AgentConfig next) {
        AgentConfig prev = config;
        List<String> needRestart = new ArrayList<>();
        if (!prev.agent().equals(next.agent())) {
            needRestart.add("agent.*");
        }
        if (prev.coordinator().outboxMaxEvents() != next.coordinator().outboxMaxEvents()) {
            needRestart.add("coordinator.outbox_max_events");
        }
        if ((prev.failover() == null) != (next.failover() == null)) {
            needRestart.add("failover (section added or removed)");
        }
        if (!java.util.Objects.equals(prev.haproxy(), next.haproxy()) || !prev.hooks().equals(next.hooks())) {
            needRestart.add("haproxy / hooks");
        }
        config = next;
        LoggingSetup.apply(next.logging().format().name().toLowerCase(), next.logging().level());
        Future<Void> done = Future.all(
                http.reconfigure(next.http()),
                supervision.reload(next.supervision(), next.services())).mapEmpty();
        hostMetrics.reconfigure(next.metrics());
        redisMetrics.reconfigure(next.services());
        reporter.reconfigure(next.coordinator());
        if (sentinels != null) {
            sentinels.reconfigure(next.failover(), localSentinel(next)); // null failover: stop watching
        }
        done.onComplete(ar -> {
            if (!needRestart.isEmpty()) {
                LOG.warn("config: {} changed; restart the agent to apply (kept the running values)", String.join(", ", needRestart));
            }
            if (ar.succeeded()) {
                lastReload.set(System.currentTimeMillis());
                reloadCounter("applied").increment();
                LOG.info("config: reloaded {}", next.file());
                events.emit("config_reloaded", "info", null, "config reloaded", Map.of("needs_restart", needRestart));
            } else {
                reloadCounter("failed").increment();
                LOG.error("config: reload applied partly: {}", ar.cause().getMessage());
                events.emit("config_reload_failed", "warning", null, "config reload failed: " + ar.cause().getMessage(), Map.of());
            }
        });
    }

    private Counter reloadCounter(String outcome) {
        return Counter.builder("rvi.config.reloads").description("Config reloads (SIGHUP) by outcome").tag("outcome", outcome)
                .register(registry);
    }

    private void routes(ActionRunner actions) {
        http.action(HttpMethod.POST, "/actions/services/:name/restart", ctx -> {
            String name = ctx.pathParam("name");
            if (!config.services().containsKey(name)) {
                ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "no such service: " + name).put("status", 404).encode());
                return;
            }
            LOG.info("http: restart of {} requested by {}", name, (Object) ctx.get("principal"));
            supervision.restart(name).onComplete(ar -> reply(ctx, ar, "restarted " + name));
        });
        http.action(HttpMethod.POST, "/actions/services/:name/reset", ctx -> {
            String name = ctx.pathParam("name");
            supervision.resetCrashLoop(name).onComplete(ar -> reply(ctx, ar, "crash loop of " + name + " reset"));
        });
        http.action(HttpMethod.POST, "/actions/reload", ctx -> {
            reload();
            ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("ok", true).put("message", "reload started").encode());
        });
    }

    private static void reply(io.vertx.ext.web.RoutingContext ctx, io.vertx.core.AsyncResult<?> ar, String ok) {
        JsonObject body = ar.succeeded() ? new JsonObject().put("ok", true).put("message", ok)
                : new JsonObject().put("ok", false).put("error", String.valueOf(ar.cause().getMessage()));
        ctx.response().setStatusCode(ar.succeeded() ? 200 : 500).putHeader("content-type", "application/json").end(body.encode());
    }

    private void shutdown() {
        LOG.info("agent {} stopping", config.agent().id());
        try {
            Future.join(List.of(reporter.stop(), supervision.shutdown(), http.stop(), redisMetrics.close(),
                            sentinels == null ? Future.succeededFuture() : sentinels.stop(),
                            failover == null ? Future.succeededFuture() : failover.stop()))
                    .toCompletionStage().toCompletableFuture().get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("agent: stop did not finish cleanly: {}", e.toString());
        }
        closeQuietly();
        LOG.info("agent {} stopped", config.agent().id());
        LoggingSetup.flush();
        terminated.countDown();
    }

    private void closeQuietly() {
        hostMetrics.stop();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("vertx close: {}", e.toString());
        }
        try {
            outbox.close();
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            LOG.debug("close: {}", e.toString());
        }
    }

    private static AgentConfig.Service localSentinel(AgentConfig config) {
        return config.services().values().stream().filter(s -> s.kind() == AgentConfig.Kind.SENTINEL).findFirst().orElse(null);
    }

    private static FileLock lockStateDir(AgentConfig config) {
        java.nio.file.Path p = config.agent().stateDir().resolve("agent.lock");
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new StartupException(ExitCode.ALREADY_RUNNING, p + ": another rvi-agent is running with agent.state_dir "
                        + config.agent().stateDir());
            }
            return l;
        } catch (IOException e) {
            throw new StartupException(ExitCode.STATE_DIR, p + ": cannot lock: " + e.getMessage(), e);
        }
    }
}
