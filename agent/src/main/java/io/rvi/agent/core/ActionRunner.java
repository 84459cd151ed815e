package io.rvi.agent.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rvi.common.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an action runs. Adds to every action: a timeout per attempt, the single retry layer
 * (exponential backoff with jitter), metrics ({@code rvi_action_total{action,outcome}},
 * {@code rvi_action_duration_seconds}, {@code rvi_action_last_success_timestamp_seconds}), one audit
 * log line and one report event. An action already running for the same target is not started
 * again: the caller gets the running one's outcome.
 */
public final class ActionRunner {
    private static final Logger AUDIT = LoggerFactory.getLogger("rvi.audit");

    private final Vertx vertx;
    private final MeterRegistry registry;
    private final EventSink events;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public ActionRunner(Vertx vertx, MeterRegistry registry, EventSink events, Clock clock, RandomGenerator random) {
        this.vertx = vertx;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Runs {@code attempt} under {@code spec} for {@code target} (a service name, a host...).
     * {@code attempt} is called once per try and must not block.
     */
    @SuppressWarnings("unchecked")
    public <T> Future<T> run(ActionSpec spec, String target, Supplier<Future<T>> attempt) {
        String key = spec.name() + "\u0000" + target;
        Promise<T> result = Promise.promise();
        long start = clock.nanos();
        Future<T> outcome = result.future().andThen(ar -> {
            running.remove(key);
            finish(spec, target, start, ar.succeeded() ? null : ar.cause());
        });
        Future<?> existing = running.putIfAbsent(key, outcome);
        if (existing != null) {
            AUDIT.info("action={} target={} outcome=joined reason=\"already running\"", spec.name(), target);
            return (Future<T>) existing;
        }
        lastSuccessGauge(spec.name());
        attempt(spec, attempt, 1, new Backoff(spec.backoffInitial(), spec.backoffMax(), random), result);
        return outcome;
    }

    /** Whether an action is running for this target now. */
    public boolean isRunning(String action, String target) {
        return running.containsKey(action + "\u0000" + target);
    }

    private <T> void attempt(ActionSpec spec, Supplier<Future<T>> attempt, int n, Backoff backoff, Promise<T> result) {
        Future<T> f;
        try {
            f = attempt.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        withTimeout(f, spec.timeout()).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
                return;
            }
            Throwable cause = ar.cause();
            if (n < spec.maxAttempts() && spec.retryable().test(cause)) {
                long delay = backoff.delayMillis(n);
                AUDIT.info("action={} attempt={} outcome=retry delay_ms={} error=\"{}\"", spec.name(), n, delay, message(cause));
                vertx.setTimer(Math.max(1, delay), id -> attempt(spec, attempt, n + 1, backoff, result));
            } else {
                result.fail(new ActionFailed(n, cause));
            }
        });
    }

    private <T> Future<T> withTimeout(Future<T> f, Duration timeout) {
        if (timeout.isZero() || f.isComplete()) {
            return f;
        }
        Promise<T> p = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> p.tryFail(new TimeoutException("timed out after " + timeout.toMillis() + " ms")));
        f.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(ar.cause());
            }
        });
        return p.future();
    }

    private void finish(ActionSpec spec, String target, long startNanos, Throwable failure) {
        long nanos = clock.nanos() - startNanos;
        int attempts = failure instanceof ActionFailed af ? af.attempts : 1;
        Throwable cause = failure instanceof ActionFailed af ? af.getCause() : failure;
        String outcome = failure == null ? "success" : cause instanceof TimeoutException ? "timeout" : "failure";
        Counter.builder("rvi.action").description("Actions run by the agent, by outcome")
                .tag("action", spec.name()).tag("outcome", outcome).register(registry).increment();
        Timer.builder("rvi.action.duration").description("Time from the start of an action to its outcome, retries included")
                .tag("action", spec.name()).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (failure == null) {
            lastSuccess.get(spec.name()).set(clock.millis());
            AUDIT.info("action={} target={} outcome=success duration_ms={}", spec.name(), target, ms);
            events.emit("action", "info", target, spec.name() + " succeeded",
                    Map.of("action", spec.name(), "target", target, "outcome", outcome, "duration_ms", ms));
        } else {
            AUDIT.warn("action={} target={} outcome={} attempts={} duration_ms={} error=\"{}\"", spec.name(), target, outcome,
                    attempts, ms, message(cause));
            events.emit("action", "warning", target, spec.name() + " failed: " + message(cause),
                    Map.of("action", spec.name(), "target", target, "outcome", outcome, "duration_ms", ms,
                            "attempts", attempts, "error", message(cause)));
        }
    }

    private void lastSuccessGauge(String action) {
        lastSuccess.computeIfAbsent(action, a -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("rvi.action.last.success.timestamp", v, x -> x.get() / 1000.0).baseUnit("seconds")
                    .description("When the action last succeeded (epoch seconds; 0 = never)")
                    .tag("action", a).register(registry);
            return v;
        });
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).replace('"', '\'');
    }

    /** The failure of an action after its last attempt; the cause is the last attempt's failure. */
    public static final class ActionFailed extends RuntimeException {
        public final int attempts;

        ActionFailed(int attempts, Throwable cause) {
            super("failed after " + attempts + " attempt(s): " + message(cause), cause);
            this.attempts = attempts;
        }
    }
}
