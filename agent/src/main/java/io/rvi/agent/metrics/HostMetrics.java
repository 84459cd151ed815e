package io.rvi.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Clock;
import io.rvi.common.config.ConfigReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the host every {@code metrics.host_interval} on a worker and publishes the result to
 * {@link HostMeters}. The sampler (OSHI) is built lazily on the worker at the first sample, so it
 * never delays start-up; a scrape only reads the cached values. A sample still running when the
 * next one is due is not doubled: the tick is skipped. Failures are counted and logged once per
 * change of reason; a sampler that cannot be built (native library missing) disables host metrics
 * with one error line, never the agent.
 */
public final class HostMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(HostMetrics.class);

    private final Vertx vertx;
    private final WorkerExecutor worker;
    private final Clock clock;
    private final Supplier<HostSampler> samplerFactory;
    private final HostMeters meters;
    private volatile AgentConfig.Metrics config;
    private final Object samplingLock = new Object();
    private HostSampler sampler;            // used on the worker only, under samplingLock
    private String lastFailure;
    private volatile boolean disabled;
    private volatile boolean stopped;
    private Future<Void> inFlight;
    private long timerId = -1;

    public HostMetrics(Vertx vertx, MeterRegistry registry, AgentConfig.Metrics config, WorkerExecutor worker, Clock clock) {
        this(vertx, registry, config, worker, clock, OshiHostSampler::new);
    }

    /** With another sampler, for tests. {@code samplerFactory} is called on the worker at the first sample. */
    public HostMetrics(Vertx vertx, MeterRegistry registry, AgentConfig.Metrics config, WorkerExecutor worker, Clock clock,
                       Supplier<HostSampler> samplerFactory) {
        this.vertx = vertx;
        this.worker = worker;
        this.clock = clock;
        this.samplerFactory = samplerFactory;
        this.config = config;
        this.meters = new HostMeters(registry);
    }

    /** Takes the first sample now (in the background) and then one every interval. */
    public synchronized void start() {
        if (stopped) {
            throw new IllegalStateException("host metrics were stopped; build a new HostMetrics");
        }
        sampleNow();
        schedule();
    }

    /** Applies a new interval at once; new disk paths are read at the next sample, which is taken now if they changed. */
    public synchronized void reconfigure(AgentConfig.Metrics next) {
        AgentConfig.Metrics previous = this.config;
        this.config = next;
        if (stopped || timerId < 0) {
            return;
        }
        if (!previous.hostInterval().equals(next.hostInterval())) {
            schedule();
        }
        if (!previous.diskPaths().equals(next.diskPaths())) {
            sampleNow();
        }
    }

    /** Stops sampling and removes the host meters. */
    public synchronized void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
        synchronized (meters) {
            stopped = true;
            meters.close();
        }
    }

    public HostMeters meters() {
        return meters;
    }

    /**
     * Takes one sample on the worker and publishes it; completes when published (or failed, which
     * is counted, not returned as a failure). If one is running, returns that one.
     */
    public synchronized Future<Void> sampleNow() {
        if (inFlight != null && !inFlight.isComplete()) {
            return inFlight;
        }
        if (disabled || stopped) {
            return Future.succeededFuture();
        }
        AgentConfig.Metrics cfg = config;
        inFlight = worker.executeBlocking(() -> {
            sampleOnWorker(cfg);
            return null;
        }, false);
        return inFlight;
    }

    private void sampleOnWorker(AgentConfig.Metrics cfg) {
        synchronized (samplingLock) {
            sampleLocked(cfg);
        }
    }

    private void sampleLocked(AgentConfig.Metrics cfg) {
        long start = clock.nanos();
        try {
            if (sampler == null) {
                sampler = samplerFactory.get();
                LOG.info("host metrics: sampling every {} (OSHI ready in {} ms)", ConfigReader.format(cfg.hostInterval()),
                        (clock.nanos() - start) / 1_000_000);
            }
            HostSample sample = sampler.sample(cfg.diskPaths());
            synchronized (meters) {
                if (!stopped) {
                    meters.publish(sample, clock.millis(), clock.nanos() - start);
                }
            }
            if (lastFailure != null) {
                LOG.info("host metrics: reading the host works again");
                lastFailure = null;
            }
        } catch (LinkageError e) {
            disabled = true;
            meters.failed();
            LOG.error("host metrics disabled: OSHI cannot load its native library ({}); "
                    + "check that jna.tmpdir (or java.io.tmpdir) is writable and not mounted noexec", e.toString());
        } catch (RuntimeException e) {
            meters.failed();
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!reason.equals(lastFailure)) {
                LOG.warn("host metrics: reading the host failed ({}); keeping the last values", reason);
                lastFailure = reason;
            } else {
                LOG.debug("host metrics: reading the host failed again ({})", reason);
            }
        }
    }

    private void schedule() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        timerId = vertx.setPeriodic(config.hostInterval().toMillis(), id -> sampleNow());
    }
}
