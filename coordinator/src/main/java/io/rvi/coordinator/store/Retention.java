package io.rvi.coordinator.store;

import io.rvi.common.Clock;
import io.rvi.common.config.ConfigReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes the journal by age ({@code event_retention}) and count ({@code max_events}): once at
 * start, then every {@code period}. A run never overlaps the previous one.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final Vertx vertx;
    private final AsyncStore store;
    private final Clock clock;
    private final Duration maxAge;
    private final long maxEvents;
    private final Duration period;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public Retention(Vertx vertx, AsyncStore store, Clock clock, Duration maxAge, long maxEvents, Duration period) {
        this.vertx = vertx;
        this.store = store;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxEvents = maxEvents;
        this.period = period;
    }

    /** The receive time before which events are deleted, for a run at {@code nowMillis}. */
    public static long cutoff(long nowMillis, Duration maxAge) {
        return nowMillis - maxAge.toMillis();
    }

    public void start() {
        timer = vertx.setPeriodic(0, period.toMillis(), id -> runOnce());
    }

    /** One pruning pass (skipped when the previous one has not finished). */
    public Future<Long> runOnce() {
        if (!running.compareAndSet(false, true)) {
            return Future.succeededFuture(0L);
        }
        return store.prune(cutoff(clock.millis(), maxAge), maxEvents)
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("retention: deleted {} events (older than {} or beyond {} events)", n, ConfigReader.format(maxAge), maxEvents);
                    }
                })
                .onFailure(e -> LOG.warn("retention: pruning failed, will retry in {}: {}", ConfigReader.format(period), e.getMessage()))
                .andThen(ar -> running.set(false));
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
