package io.rvi.agent.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.Backoff;
import io.rvi.agent.core.StateHolder;
import io.rvi.common.Clock;
import io.rvi.common.Json;
import io.rvi.common.protocol.AgentEvent;
import io.rvi.common.protocol.EventBatch;
import io.rvi.common.protocol.Heartbeat;
import io.rvi.common.protocol.ObservedState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports to the coordinator: a heartbeat with the whole observed state every
 * {@code coordinator.heartbeat_interval} (±10% jitter), and the outbox's events in seq order, in
 * batches of {@code coordinator.batch_size}, one batch in flight, the acknowledged pointer moved
 * only by the coordinator's answer. Events go out as soon as they are on disk; while the
 * coordinator is down, delivery retries on a backoff (and at once when a heartbeat gets through).
 * With several URLs it sticks to the one that works and moves to the next on a connection
 * failure, timeout or 5xx. Nothing here ever blocks or fails local work. Logs only changes
 * (unreachable, reachable again, refused). With no URLs it does nothing (standalone).
 *
 * <p>Metrics: {@code rvi_report_heartbeats_total{outcome}}, {@code rvi_report_events_sent_total},
 * {@code rvi_report_events_refused_total}, {@code rvi_report_last_success_timestamp_seconds}.
 */
public final class Reporter {
    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);
    static final Duration RETRY_INITIAL = Duration.ofMillis(500);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);
    static final Duration STOP_FLUSH_TIMEOUT = Duration.ofSeconds(2);

    private enum Step { IDLE, SENT, FAILED }

    private final Vertx vertx;
    private final Context context;
    private final AgentConfig.Agent agent;
    private final StateHolder state;
    private final Outbox outbox;
    private final MeterRegistry registry;
    private final Clock clock;
    private final RandomGenerator random;
    private final Backoff backoff;
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private final Counter eventsSent;
    private final Counter eventsRefused;
    private final Runnable appended;

    // state below: only on `context`
    private AgentConfig.Coordinator config;
    private CoordinatorEndpoints endpoints;
    private CoordinatorClient client;
    private boolean started;
    private boolean stopping;
    private boolean heartbeatInFlight;
    private Future<Step> delivery;
    private long heartbeatTimer = -1;
    private long retryTimer = -1;
    private int deliveryFailures;
    private int batchLimit;
    private volatile Boolean reachable;
    private String lastRefusal;
    private Future<Void> stopped;

    public Reporter(Vertx vertx, AgentConfig.Agent agent, AgentConfig.Coordinator coordinator, StateHolder state, Outbox outbox,
                    MeterRegistry registry, Clock clock) {
        this(vertx, agent, coordinator, state, outbox, registry, clock, new Random());
    }

    Reporter(Vertx vertx, AgentConfig.Agent agent, AgentConfig.Coordinator coordinator, StateHolder state, Outbox outbox,
             MeterRegistry registry, Clock clock, RandomGenerator random) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.agent = agent;
        this.state = state;
        this.outbox = outbox;
        this.registry = registry;
        this.clock = clock;
        this.random = random;
        this.backoff = new Backoff(RETRY_INITIAL, RETRY_MAX, random);
        this.config = coordinator;
        this.endpoints = new CoordinatorEndpoints(coordinator.urls());
        this.batchLimit = coordinator.batchSize();
        this.eventsSent = Counter.builder("rvi.report.events.sent").description("Events acknowledged by the coordinator").register(registry);
        this.eventsRefused = Counter.builder("rvi.report.events.refused")
                .description("Events the coordinator refused (400/413 even alone in a batch); dropped after an error log").register(registry);
        Gauge.builder("rvi.report.last.success.timestamp", lastSuccessMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("When a request to the coordinator last worked (epoch seconds; 0 = never)").register(registry);
        this.appended = () -> context.runOnContext(v -> deliver());
    }

    /** Starts heartbeats and delivery (nothing when no coordinator URL is configured). */
    public void start() {
        context.runOnContext(v -> {
            if (started) {
                return;
            }
            started = true;
            outbox.onAppended(appended);
            if (endpoints.isEmpty()) {
                LOG.info("report: no coordinator configured; running standalone");
            } else {
                begin();
            }
        });
    }

    /** Applies a new coordinator section (URLs, token, interval, batch size) without losing anything. */
    public void reconfigure(AgentConfig.Coordinator c) {
        context.runOnContext(v -> {
            boolean wasActive = !endpoints.isEmpty();
            config = c;
            endpoints = endpoints.withUrls(c.urls());
            batchLimit = c.batchSize();
            if (!started || stopping) {
                return;
            }
            if (endpoints.isEmpty()) {
                cancelTimers();
                if (wasActive) {
                    LOG.info("report: coordinator URLs removed; running standalone (events stay in the outbox)");
                }
            } else if (!wasActive) {
                begin();
            } else {
                cancelTimers();
                scheduleHeartbeat();
                deliver();
            }
        });
    }

    /**
     * Stops reporting after one last attempt (short timeout) to deliver what the outbox holds. The
     * future always succeeds.
     */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            if (stopped == null) {
                stopped = finalFlush();
            }
            stopped.onComplete(ar -> done.complete());
        });
        return done.future();
    }

    /** Whether the last request got through (null before the first answer). For status pages. */
    public Boolean reachable() {
        return reachable;
    }

    // ---- heartbeats ------------------------------------------------------------------------

    private void begin() {
        if (client == null) {
            client = new CoordinatorClient(vertx);
        }
        LOG.info("report: reporting to {} as agent {} (incarnation {}), heartbeat every {} ms", endpoints.urls(), agent.id(),
                outbox.incarnation(), config.heartbeatInterval().toMillis());
        heartbeat();
        deliver();
    }

    private boolean active() {
        return started && !stopping && !endpoints.isEmpty();
    }

    private void scheduleHeartbeat() {
        heartbeatTimer = vertx.setTimer(jittered(config.heartbeatInterval().toMillis(), random), id -> {
            heartbeatTimer = -1;
            heartbeat();
        });
    }

    /** {@code intervalMillis} ±10%, at least 1. */
    static long jittered(long intervalMillis, RandomGenerator random) {
        return Math.max(1, Math.round(intervalMillis * (0.9 + 0.2 * random.nextDouble())));
    }

    private void heartbeat() {
        if (!active()) {
            return;
        }
        scheduleHeartbeat();
        if (heartbeatInFlight) {
            return;
        }
        heartbeatInFlight = true;
        ObservedState st = state.current();
        long interval = config.heartbeatInterval().toMillis();
        Heartbeat hb = new Heartbeat(agent.id(), outbox.incarnation(), agent.cluster(), agent.host(), st.version(), clock.millis(),
                interval, st);
        String url = endpoints.current();
        client.send(HttpMethod.PUT, url + "/v1/agents/" + agent.id() + "/heartbeat", config.token(), Json.writeBytes(hb),
                config.requestTimeout().toMillis()).onComplete(ar -> {
                    heartbeatInFlight = false;
                    CoordinatorClient.Reply r = ar.result();
                    Counter.builder("rvi.report.heartbeats").description("Heartbeats sent to the coordinator, by outcome")
                            .tag("outcome", outcome(r)).register(registry).increment();
                    onReply(url, r, false);
                    if (r.kind() == CoordinatorClient.Reply.Kind.OK && retryTimer >= 0) {
                        vertx.cancelTimer(retryTimer);
                        retryTimer = -1;
                        deliver();
                    }
                });
    }

    private static String outcome(CoordinatorClient.Reply r) {
        return switch (r.kind()) {
            case OK -> "success";
            case UNAVAILABLE -> "unavailable";
            case REJECTED -> "rejected";
        };
    }

    // ---- events ----------------------------------------------------------------------------

    /** Sends the next batch unless one is in flight or a retry is waiting. */
    private void deliver() {
        if (!active() || delivery != null || retryTimer >= 0) {
            return;
        }
        delivery = deliverOnce(config.requestTimeout().toMillis());
        delivery.onComplete(ar -> {
            delivery = null;
            Step step = ar.succeeded() ? ar.result() : Step.FAILED;
            if (ar.failed()) {
                LOG.warn("report: event delivery failed locally: {}", ar.cause().toString());
            }
            if (step == Step.SENT) {
                deliver();
            } else if (step == Step.FAILED && active()) {
                deliveryFailures++;
                retryTimer = vertx.setTimer(Math.max(1, backoff.delayMillis(deliveryFailures)), id -> {
                    retryTimer = -1;
                    deliver();
                });
            }
        });
    }

    /** One batch: read, send, and move the acknowledged pointer from the answer. */
    private Future<Step> deliverOnce(long timeoutMillis) {
        return outbox.next(batchLimit).compose(events -> {
            if (events.isEmpty() || client == null) {
                return Future.succeededFuture(Step.IDLE);
            }
            String url = endpoints.current();
            byte[] body = Json.writeBytes(new EventBatch(agent.id(), outbox.incarnation(), events));
            return client.send(HttpMethod.POST, url + "/v1/agents/" + agent.id() + "/events", config.token(), body, timeoutMillis)
                    .compose(r -> {
                        onReply(url, r, true);
                        return handleBatchReply(r, events);
                    });
        });
    }

    private Future<Step> handleBatchReply(CoordinatorClient.Reply r, List<AgentEvent> events) {
        long first = events.get(0).seq();
        long last = events.get(events.size() - 1).seq();
        switch (r.kind()) {
            case OK -> {
                long acked = Math.min(r.body().getValue("acked_seq") instanceof Number n ? n.longValue() : -1, last);
                if (acked < first) {
                    LOG.warn("report: coordinator answered a batch of seq {}..{} with acked_seq {}; sending it again later", first, last,
                            r.body().getValue("acked_seq"));
                    return Future.succeededFuture(Step.FAILED);
                }
                deliveryFailures = 0;
                batchLimit = (int) Math.min(config.batchSize(), (long) batchLimit * 2);
                eventsSent.increment(events.stream().filter(e -> e.seq() <= acked).count());
                return outbox.ack(acked).map(Step.SENT);
            }
            case REJECTED -> {
                if (r.status() != 400 && r.status() != 413) {
                    return Future.succeededFuture(Step.FAILED);
                }
                if (events.size() > 1) {
                    batchLimit = Math.max(1, events.size() / 2);
                    return Future.succeededFuture(Step.SENT);
                }
                LOG.error("report: coordinator refuses event seq {} (type {}): {}; dropping it", first, events.get(0).type(), r.reason());
                eventsRefused.increment();
                return outbox.ack(first).map(Step.SENT);
            }
            default -> {
                return Future.succeededFuture(Step.FAILED);
            }
        }
    }

    // ---- outcomes and shutdown ------------------------------------------------------------

    /** Bookkeeping and state-change logs for any answer ({@code batch}: 400/413 are handled by the batch logic). */
    private void onReply(String url, CoordinatorClient.Reply r, boolean batch) {
        switch (r.kind()) {
            case OK -> {
                endpoints.succeeded(url);
                lastSuccessMillis.set(clock.millis());
                lastRefusal = null;
                if (reachable == null) {
                    LOG.info("report: coordinator {} reachable", url);
                } else if (!reachable) {
                    LOG.info("report: coordinator reachable again at {} ({} events pending)", url, outbox.pending());
                }
                reachable = Boolean.TRUE;
            }
            case UNAVAILABLE -> {
                boolean moved = endpoints.failed(url);
                if (!Boolean.FALSE.equals(reachable)) {
                    LOG.warn("report: coordinator {} unreachable: {}; events are kept in the outbox ({} pending){}", url, r.reason(),
                            outbox.pending(), moved ? "; trying " + endpoints.current() : "");
                }
                reachable = Boolean.FALSE;
            }
            case REJECTED -> {
                if (batch && (r.status() == 400 || r.status() == 413)) {
                    LOG.debug("report: coordinator {} refused a batch: {}", url, r.reason());
                } else {
                    if (!r.reason().equals(lastRefusal)) {
                        LOG.warn("report: coordinator {} refused a request: {}", url, r.reason());
                    }
                    lastRefusal = r.reason();
                }
            }
        }
    }

    private Future<Void> finalFlush() {
        boolean wasStarted = started;
        stopping = true;
        if (!wasStarted) {
            return Future.succeededFuture();
        }
        cancelTimers();
        outbox.removeListener(appended);
        if (endpoints.isEmpty() || client == null) {
            closeClient();
            return Future.succeededFuture();
        }
        long timeout = Math.min(config.requestTimeout().toMillis(), STOP_FLUSH_TIMEOUT.toMillis());
        Promise<Void> done = Promise.promise();
        long guard = vertx.setTimer(timeout + 500, id -> done.tryComplete());
        Future<?> current = delivery == null ? Future.succeededFuture() : delivery.otherwiseEmpty();
        current.compose(x -> outbox.flush())
                .compose(x -> outbox.pending() > 0 ? deliverOnce(timeout) : Future.succeededFuture(Step.IDLE))
                .onComplete(ar -> {
                    vertx.cancelTimer(guard);
                    done.tryComplete();
                });
        return done.future().onComplete(ar -> {
            closeClient();
            LOG.info("report: stopped ({} events pending in the outbox)", outbox.pending());
        });
    }

    private void cancelTimers() {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
            retryTimer = -1;
        }
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
