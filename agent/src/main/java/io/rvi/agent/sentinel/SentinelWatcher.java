package io.rvi.agent.sentinel;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.Backoff;
import io.rvi.agent.core.EventSink;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Sentinels of the group: one subscription ({@code PSUBSCRIBE *}) per configured Sentinel
 * (plus the local Sentinel service when not listed), each reconnecting on its own (the majority is of
 * {@code failover.sentinels} only, see {@link #quorumOf}); every message parsed,
 * published on {@link SentinelEvent#ADDRESS} and folded by the {@link FailoverTracker} (first
 * {@code +switch-master} of a failover published as {@link SwitchMaster} on {@link SwitchMaster#ADDRESS};
 * a {@code failover} event per failover); {@code sentinel_tilt}/{@code master_sdown} events
 * ({@link SentinelAlerts}); the quorum's view of the master ({@link SentinelQuorum}), refreshed every
 * {@code failover.check_interval} and at once on a switch. Gauge {@code rvi_sentinel_subscribed{sentinel}}.
 *
 * <p>All work runs on one event-loop context (the caller's, or a new one when built outside Vert.x);
 * nothing blocks. A null {@code failover} (section absent) watches nothing.
 */
public final class SentinelWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelWatcher.class);

    /** One Sentinel's subscription and its gauge. */
    private record Link(SentinelSubscription subscription, AtomicInteger state, Gauge gauge) {}

    private final Vertx vertx;
    private final Context context;
    private final EventSink events;
    private final MeterRegistry registry;
    private final SentinelSettings settings;
    private final FailoverTracker tracker;
    private final SentinelAlerts alerts;
    private final SentinelEventRouter router;
    private final SentinelQuorum quorum;
    private final Map<HostPort, Link> links = new ConcurrentHashMap<>();
    private final Random random = new Random();
    private volatile AgentConfig.Failover failover;
    private volatile AgentConfig.Service localSentinel;
    private boolean started;
    private long tickTimer = -1;

    public SentinelWatcher(Vertx vertx, AgentConfig.Failover failover, AgentConfig.Service localSentinel, EventSink events,
                           MeterRegistry registry, Clock clock) {
        this(vertx, failover, localSentinel, events, registry, clock, SentinelSettings.DEFAULTS);
    }

    public SentinelWatcher(Vertx vertx, AgentConfig.Failover failover, AgentConfig.Service localSentinel, EventSink events,
                           MeterRegistry registry, Clock clock, SentinelSettings settings) {
        Context current = Vertx.currentContext();
        if (current != null && !current.isEventLoopContext()) {
            throw new IllegalStateException("SentinelWatcher: build it on an event loop or outside Vert.x, not on a worker");
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.events = events;
        this.registry = registry;
        this.settings = settings;
        this.failover = failover;
        this.localSentinel = localSentinel;
        this.tracker = new FailoverTracker(clock, registry, settings.tracker(), new FailoverTracker.Listener() {
            @Override
            public void switchMaster(SwitchMaster s) {
                vertx.eventBus().publish(SwitchMaster.ADDRESS, s.toJson());
                quorum().refresh();
            }

            @Override
            public void failover(FailoverRecord r) {
                events.emit("failover", "warning", null, r.summary(), r.toEventData());
            }
        });
        this.alerts = new SentinelAlerts(events);
        String master = failover == null ? null : failover.masterName();
        this.router = new SentinelEventRouter(clock, registry, tracker, alerts,
                e -> vertx.eventBus().publish(SentinelEvent.ADDRESS, e.toJson()), master);
        this.quorum = new SentinelQuorum(vertx, context, master, quorumOf(failover, localSentinel), settings, clock, registry);
    }

    /** Subscribes to every Sentinel and starts the quorum checks; completes at once (subscribing goes on). */
    public Future<Void> start() {
        return onContext(() -> {
            if (started) {
                return;
            }
            started = true;
            tickTimer = vertx.setPeriodic(Math.max(1, settings.tickInterval().toMillis()), id -> tracker.tick());
            apply(failover, localSentinel);
        });
    }

    /**
     * Applies a reloaded config: subscriptions to Sentinels still configured are kept as they are (a new
     * password is used from their next connection); removed ones are closed, new ones made.
     */
    public Future<Void> reconfigure(AgentConfig.Failover failover, AgentConfig.Service localSentinel) {
        this.failover = failover;
        this.localSentinel = localSentinel;
        return onContext(() -> {
            if (started) {
                apply(failover, localSentinel);
            }
        });
    }

    /** Closes every subscription and connection. */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            started = false;
            if (tickTimer >= 0) {
                vertx.cancelTimer(tickTimer);
                tickTimer = -1;
            }
            List<Future<Void>> all = new ArrayList<>();
            links.forEach((s, l) -> all.add(close(l)));
            links.clear();
            all.add(quorum.close());
            Future.join(all).onComplete(ar -> done.complete());
        });
        return done.future();
    }

    public FailoverTracker tracker() {
        return tracker;
    }

    public SentinelQuorum quorum() {
        return quorum;
    }

    /** The Sentinels watched: the configured ones, then the local one if not listed. */
    public List<HostPort> sentinels() {
        return sentinelsOf(failover, localSentinel);
    }

    /** Whether the subscription to {@code sentinel} is up now. */
    public boolean subscribed(HostPort sentinel) {
        Link l = links.get(sentinel);
        return l != null && l.state().get() == 1;
    }

    /** {@code failover.sentinels}, then the local Sentinel service's address when not among them (no duplicates). */
    static List<HostPort> sentinelsOf(AgentConfig.Failover failover, AgentConfig.Service localSentinel) {
        if (failover == null) {
            return List.of();
        }
        Set<HostPort> all = new LinkedHashSet<>(failover.sentinels());
        if (localSentinel != null && localSentinel.address() != null) {
            all.add(localSentinel.address());
        }
        return List.copyOf(all);
    }

    /**
     * The Sentinels whose majority counts: {@code failover.sentinels}; the local Sentinel only when that list is
     * empty. A local Sentinel missing from a non-empty list is most likely listed under another address (the one
     * the other hosts use): counting it twice would make a majority harder to reach and wrong.
     */
    static List<HostPort> quorumOf(AgentConfig.Failover failover, AgentConfig.Service localSentinel) {
        if (failover == null) {
            return List.of();
        }
        if (!failover.sentinels().isEmpty() || localSentinel == null || localSentinel.address() == null) {
            return List.copyOf(new LinkedHashSet<>(failover.sentinels()));
        }
        return List.of(localSentinel.address());
    }

    private void apply(AgentConfig.Failover f, AgentConfig.Service local) {
        List<HostPort> wanted = sentinelsOf(f, local);
        Secret password = local == null ? null : local.password();
        if (f != null && !f.sentinels().isEmpty() && local != null && local.address() != null
                && !f.sentinels().contains(local.address())) {
            LOG.warn("sentinel: the local Sentinel {} is not in failover.sentinels; its events are watched too, but it is not "
                    + "counted in the majority (list it there with the address the other hosts use)", local.address());
        }
        for (HostPort s : List.copyOf(links.keySet())) {
            if (!wanted.contains(s)) {
                LOG.info("sentinel {}: no longer configured, unsubscribing", s);
                close(links.remove(s));
                alerts.lost(s);
            }
        }
        for (HostPort s : wanted) {
            Link l = links.get(s);
            if (l == null) {
                links.put(s, open(s, password));
            } else {
                l.subscription().password(password);
            }
        }
        String master = f == null ? null : f.masterName();
        router.masterName(master);
        tracker.expectedReporters(wanted);
        if (f == null) {
            quorum.close();
            return;
        }
        tracker.prepareMeters(master);
        quorum.configure(master, quorumOf(f, local), password, f.checkInterval());
    }

    private Link open(HostPort s, Secret password) {
        AtomicInteger state = new AtomicInteger();
        Gauge gauge = Gauge.builder("rvi.sentinel.subscribed", state, AtomicInteger::get)
                .description("1 while the agent is subscribed to this Sentinel's events").tag("sentinel", s.toString())
                .register(registry);
        SentinelSubscription sub = new SentinelSubscription(vertx, s, password, settings,
                new Backoff(settings.reconnectInitial(), settings.reconnectMax(), random), new SentinelSubscription.Listener() {
                    @Override
                    public void message(HostPort sentinel, String channel, String payload) {
                        router.message(sentinel, channel, payload);
                    }

                    @Override
                    public void subscribed(HostPort sentinel, boolean up) {
                        state.set(up ? 1 : 0);
                        if (!up) {
                            alerts.lost(sentinel);
                        }
                    }
                });
        sub.start();
        return new Link(sub, state, gauge);
    }

    private Future<Void> close(Link l) {
        registry.remove(l.gauge());
        return l.subscription().close();
    }

    private Future<Void> onContext(Runnable work) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            try {
                work.run();
                p.complete();
            } catch (RuntimeException e) {
                LOG.error("sentinel watcher: {}", e.toString(), e);
                p.fail(e);
            }
        });
        return p.future();
    }
}
