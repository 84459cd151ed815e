package io.rvi.agent.failover;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.ActionSpec;
import io.rvi.agent.haproxy.HaproxyClient;
import io.rvi.agent.haproxy.HaproxyCommands.AdminState;
import io.rvi.agent.sentinel.SwitchMaster;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the write topology to HAProxy's runtime API, as {@code route} actions of the ActionRunner
 * (retried with backoff). On a switch: the whole {@link RoutingPlan} at once. On the periodic
 * re-check: only the corrections HAProxy's current state needs. Pushes run one after another (a
 * re-check never interleaves with a switch), and for {@link #HOLD} after a switch a re-check naming
 * another master is skipped (a Sentinel still answering with the old master must not undo it).
 */
public final class FailoverRouter {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverRouter.class);
    static final Duration HOLD = Duration.ofSeconds(5);

    private final HaproxyClient haproxy;
    private final AgentConfig.Haproxy config;
    private final ActionRunner actions;
    private final FailoverMetrics metrics;
    private final Clock clock;
    private final ActionSpec spec;
    private final ActionSpec checkSpec;
    private boolean reasserting;
    private final FaultLog faults = new FaultLog();
    private final List<BiConsumer<String, Long>> listeners = new CopyOnWriteArrayList<>();
    private Future<?> tail = Future.succeededFuture();
    private HostPort lastSwitchTo;
    private long lastSwitchNanos = Long.MIN_VALUE;

    public FailoverRouter(HaproxyClient haproxy, AgentConfig.Haproxy config, ActionRunner actions, FailoverMetrics metrics, Clock clock) {
        this.haproxy = haproxy;
        this.config = config;
        this.actions = actions;
        this.metrics = metrics;
        this.clock = clock;
        Duration attempt = config.timeout().multipliedBy(3).plusMillis(200);
        this.spec = ActionSpec.retrying("route", attempt, 5, Duration.ofMillis(100), Duration.ofSeconds(2));
        // a re-check is not retried: the next period is its retry, and a switch never waits behind retries
        this.checkSpec = ActionSpec.once("route", attempt);
    }

    /** Called with (failover id, epoch millis) when a switch's routing has been pushed. */
    public void onRoutingSwitched(BiConsumer<String, Long> listener) {
        listeners.add(listener);
    }

    /** Routes writes to {@code sm.to()} now; completes with the epoch millis the routing switched at. */
    public synchronized Future<Long> switchTo(SwitchMaster sm) {
        lastSwitchTo = sm.to();
        lastSwitchNanos = clock.nanos();
        RoutingPlan plan = RoutingPlan.full(config.servers(), sm.to());
        if (plan.masterServer() == null) {
            LOG.warn("route: new master {} has no haproxy server in haproxy.servers; every write server goes to maint", sm.to());
        }
        Future<Long> f = serially(() -> actions.run(spec, config.writeBackend(), () -> apply(plan)).map(v -> {
            long at = clock.millis();
            long took = at - sm.receivedAt();
            metrics.routingSwitched(took);
            LOG.info("route: failover {}: writes routed to {} ({}) {} ms after +switch-master", sm.failoverId(), sm.to(),
                    plan.masterServer(), took);
            listeners.forEach(l -> l.accept(sm.failoverId(), at));
            return at;
        }));
        return f;
    }

    /** Makes HAProxy agree with the quorum's {@code master}, changing only what differs. */
    public synchronized Future<Void> reassert(HostPort master) {
        if (reasserting) {
            return Future.succeededFuture();
        }
        if (lastSwitchTo != null && !Addresses.same(master, lastSwitchTo) && clock.nanos() - lastSwitchNanos < HOLD.toNanos()) {
            LOG.debug("route: quorum names {} within {} of the switch to {}; not re-asserting", master, HOLD, lastSwitchTo);
            return Future.succeededFuture();
        }
        reasserting = true;
        long generation = lastSwitchNanos;
        return serially(() -> haproxy.showServersState(config.writeBackend()).compose(current -> {
            RoutingPlan plan = RoutingPlan.corrections(config.servers(), master, current);
            if (plan.isEmpty() || switchedSince(generation)) {
                return Future.<Void>succeededFuture();
            }
            LOG.warn("route: haproxy disagreed with the sentinel quorum ({} is master); correcting: {}", master, plan);
            return actions.run(checkSpec, config.writeBackend(), () -> apply(plan));
        })).andThen(ar -> {
            synchronized (this) {
                reasserting = false;
            }
            String error = ar.succeeded() ? null : String.valueOf(ar.cause().getMessage());
            if (faults.changed("haproxy", error)) {
                if (error != null) {
                    metrics.fault("haproxy");
                    LOG.warn("route: cannot check haproxy's write backend {}: {}", config.writeBackend(), error);
                } else {
                    LOG.info("route: haproxy's write backend {} reachable again", config.writeBackend());
                }
            }
        });
    }

    /** Takes the server of {@code addr} out of the write backend (maint, sessions shut). */
    public synchronized Future<Void> keepOut(HostPort addr) {
        String server = RoutingPlan.serverOf(config.servers(), addr);
        if (server == null) {
            return Future.succeededFuture();
        }
        RoutingPlan plan = new RoutingPlan(null, null, List.of(new RoutingPlan.Step(RoutingPlan.Kind.MAINT, server)),
                List.of(new RoutingPlan.Step(RoutingPlan.Kind.SHUTDOWN_SESSIONS, server)));
        return serially(() -> actions.run(spec, config.writeBackend() + "/" + server, () -> apply(plan)));
    }

    private synchronized boolean switchedSince(long generation) {
        return lastSwitchNanos != generation;
    }

    private synchronized <T> Future<T> serially(java.util.function.Supplier<Future<T>> next) {
        Future<T> f = tail.transform(ignored -> next.get());
        tail = f;
        return f;
    }

    private Future<Void> apply(RoutingPlan plan) {
        return all(plan.first()).compose(v -> all(plan.second()));
    }

    private Future<Void> all(List<RoutingPlan.Step> steps) {
        List<Future<Void>> fs = new ArrayList<>();
        for (RoutingPlan.Step s : steps) {
            fs.add(switch (s.kind()) {
                case MAINT -> haproxy.setState(config.writeBackend(), s.server(), AdminState.MAINT);
                case READY -> haproxy.setState(config.writeBackend(), s.server(), AdminState.READY);
                case HEALTH_UP -> haproxy.setHealth(config.writeBackend(), s.server(), true);
                case SHUTDOWN_SESSIONS -> haproxy.shutdownSessions(config.writeBackend(), s.server());
            });
        }
        return Future.all(fs).mapEmpty();
    }
}
