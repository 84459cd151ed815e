package io.rvi.agent.sentinel;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quorum's view of the master: asks every configured Sentinel {@code SENTINEL GET-MASTER-ADDR-BY-NAME}
 * in parallel (each within the query timeout) and keeps the last {@link QuorumView} ({@link QuorumDecision}:
 * a majority of ALL configured Sentinels). Refreshed every {@code check_interval}, and at once on every
 * switch. When the view's master changes it is logged and published on {@link QuorumView#ADDRESS}.
 * Gauge {@code rvi_sentinel_quorum} (1 when a majority names one master). Callable from any thread; the
 * work runs on the watcher's context. Built by {@link SentinelWatcher}.
 */
public final class SentinelQuorum {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelQuorum.class);

    private final Vertx vertx;
    private final Context context;
    private final SentinelSettings settings;
    private final Clock clock;
    private final Map<HostPort, SentinelClient> clients = new LinkedHashMap<>();
    private volatile String masterName;
    private volatile List<HostPort> sentinels;
    private volatile QuorumView current;
    private List<Promise<QuorumView>> waiting = new ArrayList<>();
    private boolean running;
    private boolean closed;
    private long periodic = -1;

    SentinelQuorum(Vertx vertx, Context context, String masterName, List<HostPort> sentinels, SentinelSettings settings,
                   Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.context = context;
        this.settings = settings;
        this.clock = clock;
        this.masterName = masterName;
        this.sentinels = List.copyOf(sentinels);
        this.current = QuorumView.notChecked(masterName, this.sentinels);
        Gauge.builder("rvi.sentinel.quorum", this, q -> q.current.hasQuorum() ? 1 : 0)
                .description("1 when a majority of the configured Sentinels names one master").register(registry);
    }

    /** The last view (never blocks; {@code checkedAt == 0} before the first round ended). */
    public QuorumView current() {
        return current;
    }

    /** Asks every configured Sentinel now (same as {@link #refresh()}). */
    public Future<QuorumView> masterAddress() {
        return refresh();
    }

    /**
     * A round that starts after this call (one running now is not joined: its questions may predate a
     * switch); the cached view is updated. Completes within about the query timeout; never fails.
     */
    public Future<QuorumView> refresh() {
        Promise<QuorumView> p = Promise.promise();
        context.runOnContext(v -> {
            if (closed) {
                p.complete(current);
                return;
            }
            waiting.add(p);
            if (!running) {
                round();
            }
        });
        return p.future();
    }

    /** (On the context.) Uses these Sentinels and master name from now on; re-checks at once. */
    void configure(String masterName, List<HostPort> sentinels, Secret password, Duration checkInterval) {
        if (!Objects.equals(masterName, this.masterName)) {
            current = QuorumView.notChecked(masterName, sentinels);
        }
        this.masterName = masterName;
        this.sentinels = List.copyOf(sentinels);
        clients.keySet().removeIf(s -> {
            if (!sentinels.contains(s)) {
                clients.get(s).close();
                return true;
            }
            return false;
        });
        for (HostPort s : sentinels) {
            clients.computeIfAbsent(s, a -> new SentinelClient(vertx, a, password, settings.connectTimeout())).password(password);
        }
        if (periodic >= 0) {
            vertx.cancelTimer(periodic);
        }
        closed = false;
        periodic = vertx.setPeriodic(Math.max(1, checkInterval.toMillis()), id -> {
            if (!running && !closed) {
                round();
            }
        });
        refresh();
    }

    /** (On the context.) Stops checking and closes the connections; {@link #current()} keeps the last view. */
    Future<Void> close() {
        closed = true;
        if (periodic >= 0) {
            vertx.cancelTimer(periodic);
            periodic = -1;
        }
        List<Future<Void>> all = new ArrayList<>();
        clients.values().forEach(c -> all.add(c.close()));
        clients.clear();
        return Future.join(all).mapEmpty();
    }

    private void round() {
        running = true;
        List<Promise<QuorumView>> waiters = waiting;
        waiting = new ArrayList<>();
        String name = masterName;
        List<HostPort> asked = sentinels;
        List<Future<SentinelAnswer>> answers = new ArrayList<>();
        for (HostPort s : asked) {
            SentinelClient c = clients.get(s);
            answers.add(c == null ? Future.succeededFuture(SentinelAnswer.failed(SentinelAnswer.Kind.UNREACHABLE, "closed"))
                    : c.masterAddress(name, settings.queryTimeout()));
        }
        Future.join(answers).onComplete(ar -> {
            Map<HostPort, SentinelAnswer> byS = new LinkedHashMap<>();
            for (int i = 0; i < asked.size(); i++) {
                Future<SentinelAnswer> f = answers.get(i);
                byS.put(asked.get(i), f.succeeded() ? f.result()
                        : SentinelAnswer.failed(SentinelAnswer.Kind.UNREACHABLE, RedisLinks.message(f.cause())));
            }
            QuorumView v = QuorumDecision.decide(name, asked, byS, clock.millis());
            if (Objects.equals(name, masterName)) {
                update(v);
            }
            waiters.forEach(p -> p.complete(v));
            running = false;
            if (!waiting.isEmpty() && !closed) {
                round();
            }
        });
    }

    private void update(QuorumView v) {
        QuorumView prev = current;
        current = v;
        if (prev.checkedAt() != 0 && Objects.equals(prev.master(), v.master())) {
            return;
        }
        if (v.hasQuorum()) {
            LOG.info("quorum: master of {} is {} ({} of {} Sentinels, {} needed)", v.masterName(), v.master(), v.votes(),
                    v.sentinels(), v.needed());
        } else {
            LOG.warn("quorum: no majority for the master of {} ({} needed of {}): {}", v.masterName(), v.needed(), v.sentinels(),
                    v.answers());
        }
        vertx.eventBus().publish(QuorumView.ADDRESS, v.toJson());
    }
}
