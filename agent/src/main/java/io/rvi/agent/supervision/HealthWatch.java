package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.redis.ProbeResult;
import io.rvi.agent.redis.RedisProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one service every {@code probe.interval} (the next probe is scheduled when the previous one has
 * finished, so probes never pile up), folds results into a {@link HealthTracker}, and publishes health
 * and role with one log line and one event per transition. A process that runs but does not answer is
 * only reported unhealthy: nothing is restarted for that (Redis answers -LOADING while loading a dataset).
 */
final class HealthWatch {
    private static final Logger LOG = LoggerFactory.getLogger(HealthWatch.class);

    private final Vertx vertx;
    private final ServiceStatus status;
    private final Consumer<ProbeResult> listener;
    private AgentConfig.Service config;
    private RedisProbe probe;
    private final HealthTracker tracker;
    private long timer = -1;
    private boolean probing;
    private boolean running;
    private String lastError;

    HealthWatch(Vertx vertx, ServiceStatus status, AgentConfig.Service config, Consumer<ProbeResult> listener) {
        this.vertx = vertx;
        this.status = status;
        this.config = config;
        this.listener = listener;
        this.tracker = new HealthTracker(config.unhealthyAfter());
        this.probe = new RedisProbe(vertx, config.address(), config.password());
    }

    /** Starts the probe loop (first probe after one interval; use {@link #probeNow()} for one at once). */
    void start() {
        if (!running) {
            running = true;
            if (timer == -1 && !probing) {
                schedule();
            }
        }
    }

    /** Probes now; the result also counts for health. */
    Future<ProbeResult> probeNow() {
        RedisProbe p = probe;
        return p.probe(config.probeTimeout()).andThen(ar -> {
            if (p == probe && ar.succeeded()) {
                handle(ar.result());
            }
        });
    }

    /** New probe settings (interval, timeout, unhealthy_after, password) for the same address. */
    void update(AgentConfig.Service c) {
        AgentConfig.Service old = config;
        config = c;
        tracker.setUnhealthyAfter(c.unhealthyAfter());
        if (!Objects.equals(old.password(), c.password()) || !old.address().equals(c.address())) {
            probe.close();
            probe = new RedisProbe(vertx, c.address(), c.password());
        }
        if (running && timer != -1 && !old.probeInterval().equals(c.probeInterval())) {
            vertx.cancelTimer(timer);
            schedule();
        }
    }

    /** The process is known to be gone: unhealthy at once, role forgotten. */
    void processDown(String why) {
        status.role(null);
        apply(tracker.markUnhealthy(), why, true);
    }

    /** The process was stopped on purpose: health unknown until the next one answers (no event). */
    void reset(String why) {
        tracker.reset();
        lastError = null;
        status.role(null);
        status.health(HealthTracker.UNKNOWN);
        LOG.debug("{}: health unknown ({})", status.name(), why);
    }

    void stop() {
        running = false;
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        probe.close();
    }

    private void schedule() {
        timer = vertx.setTimer(Math.max(1, config.probeInterval().toMillis()), id -> {
            timer = -1;
            if (!running) {
                return;
            }
            probing = true;
            probeNow().onComplete(ar -> {
                probing = false;
                if (running && timer == -1) {
                    schedule();
                }
            });
        });
    }

    private void handle(ProbeResult r) {
        if (r.healthy()) {
            lastError = null;
            if (!Objects.equals(r.role(), status.role())) {
                if (status.role() != null && r.role() != null) {
                    LOG.info("{}: role changed from {} to {}", status.name(), status.role(), r.role());
                    status.event("role_changed", "info", "role changed from " + status.role() + " to " + r.role(),
                            Map.of("from", status.role(), "to", r.role(), "address", config.address().toString()));
                }
                status.role(r.role());
            }
        } else if (!Objects.equals(r.error(), lastError)) {
            lastError = r.error();
            LOG.debug("{}: probe failed: {}", status.name(), r.error());
        }
        apply(tracker.record(r.healthy()), r.error(), false);
        if (HealthTracker.UNHEALTHY.equals(tracker.health()) && status.role() != null) {
            status.role(null);
        }
        listener.accept(r);
    }

    private void apply(HealthTracker.Change change, String why, boolean known) {
        switch (change) {
            case BECAME_HEALTHY -> {
                LOG.info("{}: healthy on {} (role {})", status.name(), config.address(), status.role());
                status.health(HealthTracker.HEALTHY);
                status.event("service_healthy", "info", "healthy (role " + status.role() + ")",
                        Map.of("address", config.address().toString(), "role", String.valueOf(status.role())));
            }
            case BECAME_UNHEALTHY -> {
                String reason = why == null ? "not answering" : why;
                if (known) {
                    LOG.warn("{}: unhealthy: {}", status.name(), reason);
                } else {
                    LOG.warn("{}: unhealthy after {} failed probe(s): {}", status.name(), tracker.failures(), reason);
                }
                status.health(HealthTracker.UNHEALTHY);
                status.event("service_unhealthy", "warning", "unhealthy: " + reason,
                        Map.of("address", config.address().toString(), "failures", tracker.failures(), "error", reason));
            }
            case NONE -> { }
        }
    }
}
