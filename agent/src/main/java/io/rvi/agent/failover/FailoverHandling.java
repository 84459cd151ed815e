package io.rvi.agent.failover;

import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.EventSink;
import io.rvi.agent.haproxy.HaproxyClient;
import io.rvi.agent.haproxy.HaproxyRuntimeApi;
import io.rvi.agent.haproxy.RuntimeApiTarget;
import io.rvi.agent.hooks.HookDispatcher;
import io.rvi.agent.hooks.HookEvent;
import io.rvi.agent.hooks.OnceFilter;
import io.rvi.agent.http.AgentHttpServer;
import io.rvi.agent.http.RequestJson;
import io.rvi.agent.sentinel.SwitchMaster;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's failover handling, put together from the config: HAProxy routing on every
 * {@code SwitchMaster} and re-asserted every {@code failover.check_interval} from the quorum's view;
 * the local role watched (fencing a returning old master, split brain, role-change hooks) every period
 * and right after the supervisor (re)starts Redis; on_failover hooks once per failover; the
 * {@code /redis/master}, {@code /redis/replica} and {@code POST /actions/redis/switchover} routes.
 * Construct only when {@code config.failover()} is set and a service of kind redis exists.
 */
public final class FailoverHandling {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverHandling.class);
    static final String EVENTS_ADDRESS = "rvi.events";
    static final Duration RESTART_WINDOW = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final AgentConfig.Failover failover;
    private final AgentConfig.Service redisService;
    private final RedisAccess redis;
    private final RedisAccess sentinels;
    private final FailoverRouter router;
    private final HookDispatcher hooks;
    private final RoleWatch watch;
    private final Switchover switchover;
    private final RoutingEndpoints endpoints;
    private final WebClient web;
    private final OnceFilter switches = new OnceFilter(256);
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private long timer = -1;
    private boolean ticking;

    /**
     * @param oracle  the Sentinel quorum's view (adapted from the Sentinel component)
     * @param worker  executor for blocking work: HAProxy unix socket I/O and exec hooks
     */
    public FailoverHandling(Vertx vertx, AgentConfig config, MasterOracle oracle, ActionRunner actions, EventSink events,
                            MeterRegistry registry, WorkerExecutor worker, Clock clock) {
        this.vertx = vertx;
        this.failover = config.failover();
        if (failover == null) {
            throw new IllegalArgumentException("failover section not configured");
        }
        this.redisService = redisService(config);
        HostPort self = redisService.address();
        Duration timeout = redisService.probeTimeout() == null ? Duration.ofSeconds(1) : redisService.probeTimeout();
        this.redis = new RedisAccess(vertx, redisService.password(), timeout);
        this.sentinels = new RedisAccess(vertx, sentinelPassword(config), timeout);
        FailoverMetrics metrics = new FailoverMetrics(registry);
        AgentConfig.Haproxy hx = config.haproxy();
        this.router = hx == null ? null : new FailoverRouter(new HaproxyClient(new HaproxyRuntimeApi(vertx, worker,
                RuntimeApiTarget.parse(hx.runtimeApi()), hx.timeout()), registry), hx, actions, metrics, clock);
        this.web = WebClient.create(vertx);
        AgentConfig.Hooks hookConfig = config.hooks() == null ? AgentConfig.Hooks.NONE : config.hooks();
        this.hooks = new HookDispatcher(worker, web, actions, registry, () -> hookConfig);
        Duration persistence = max(Duration.ofSeconds(3), failover.checkInterval().multipliedBy(2));
        RoleJudge judge = new RoleJudge(clock, failover.fenceReturningMaster(), persistence, RESTART_WINDOW);
        this.watch = new RoleWatch(vertx, self, redisService.name(), failover.masterName(), redis, oracle, judge, actions, events,
                metrics, router, hooks, max(timeout, failover.checkInterval()));
        this.switchover = new Switchover(vertx, failover.masterName(), failover.sentinels(), sentinels, oracle, actions, clock);
        this.endpoints = new RoutingEndpoints(self, watch, redis, failover::replicaMaxLagBytes);
    }

    /** Listener for the failover tracker: (failover id, epoch millis when HAProxy's routing was switched). */
    public void onRoutingSwitched(BiConsumer<String, Long> listener) {
        if (router != null) {
            router.onRoutingSwitched(listener);
        }
    }

    /** Adds {@code GET /redis/master}, {@code GET /redis/replica} and {@code POST /actions/redis/switchover}. */
    public void routes(AgentHttpServer http) {
        http.read("/redis/master", endpoints::master);
        http.read("/redis/replica", endpoints::replica);
        http.action(HttpMethod.POST, "/actions/redis/switchover", ctx -> {
            JsonObject body = RequestJson.object(ctx);
            long ms = body.getLong("timeout_ms", 30_000L);
            if (ms < 1000 || ms > 600_000) {
                ctx.response().setStatusCode(400).putHeader("content-type", "application/json").end(new JsonObject()
                        .put("error", "timeout_ms: expected 1000..600000, got " + ms).put("status", 400).encode());
                return;
            }
            switchover.run(Duration.ofMillis(ms), String.valueOf((Object) ctx.get("principal"))).onComplete(ar ->
                    ctx.response().setStatusCode(ar.result().status()).putHeader("content-type", "application/json")
                            .end(ar.result().toJson().encode()));
        });
    }

    /** Subscribes to switches and to the supervisor's events, and starts the periodic check. */
    public void start() {
        consumers.add(vertx.eventBus().<JsonObject>consumer(SwitchMaster.ADDRESS, m -> onSwitch(SwitchMaster.fromJson(m.body()))));
        consumers.add(vertx.eventBus().<JsonObject>consumer(EVENTS_ADDRESS, m -> onEvent(m.body())));
        timer = vertx.setPeriodic(0, failover.checkInterval().toMillis(), id -> tick());
        LOG.info("failover: watching {} ({}) against the sentinel quorum of {}, every {} ms{}", redisService.address(),
                redisService.name(), failover.masterName(), failover.checkInterval().toMillis(),
                router == null ? "; no haproxy configured" : "");
    }

    public Future<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        List<Future<Void>> fs = new ArrayList<>();
        consumers.forEach(c -> fs.add(c.unregister()));
        consumers.clear();
        redis.close();
        sentinels.close();
        web.close();
        return Future.join(fs).mapEmpty();
    }

    /** A switch announced by Sentinel: route at once, fire on_failover hooks once, look at the local role. */
    public void onSwitch(SwitchMaster sm) {
        if (!failover.masterName().equals(sm.masterName()) || !switches.first(sm.failoverId())) {
            return;
        }
        LOG.info("failover {}: {} switched from {} to {}", sm.failoverId(), sm.masterName(), sm.from(), sm.to());
        switchover.switched(sm);
        if (router != null) {
            router.switchTo(sm);
        }
        Map<String, Object> record = new HashMap<>(sm.toJson().getMap());
        record.put("event", HookEvent.FAILOVER);
        hooks.fire(new HookEvent(HookEvent.FAILOVER, sm.failoverId(), sm.masterName(), "observer", "start", sm.from(), sm.to(), record));
        watch.observe();
    }

    private void onEvent(JsonObject e) {
        String type = e.getString("type");
        if (redisService.name().equals(e.getString("service")) && ("process_started".equals(type) || "process_adopted".equals(type))) {
            // a (re)started Redis may be a returning old master: look now, and again while it loads
            watch.observe();
            vertx.setTimer(250, id -> watch.observe());
            vertx.setTimer(1000, id -> watch.observe());
        }
    }

    private void tick() {
        if (ticking) {
            return;
        }
        ticking = true;
        watch.observe().compose(v -> router != null && v.quorumMaster() != null ? router.reassert(v.quorumMaster())
                : Future.<Void>succeededFuture()).onComplete(ar -> ticking = false);
    }

    private static AgentConfig.Service redisService(AgentConfig config) {
        AgentConfig.Service named = config.services().get("redis");
        if (named != null && named.kind() == AgentConfig.Kind.REDIS) {
            return named;
        }
        return config.services().values().stream().filter(s -> s.kind() == AgentConfig.Kind.REDIS).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("failover needs a service of kind redis"));
    }

    private static Secret sentinelPassword(AgentConfig config) {
        return config.services().values().stream().filter(s -> s.kind() == AgentConfig.Kind.SENTINEL).map(AgentConfig.Service::password)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
