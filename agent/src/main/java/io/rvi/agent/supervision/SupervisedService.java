package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.redis.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link SpawnedService} and {@link SystemdService} share: the service's settings, status, health
 * watch, {@link RestartPolicy} and {@link SerialQueue}; leaving a crash loop (on request or after a
 * configuration change); declaring one; and the one pending restart timer. Everything runs on the
 * supervision context.
 */
abstract class SupervisedService implements ServiceRunner {
    /** The subclass's logger (same category as its own), for the lines written here. */
    private final Logger log = LoggerFactory.getLogger(getClass());
    final Shared shared;
    final ServiceStatus status;
    final HealthWatch health;
    final RestartPolicy policy;
    final SerialQueue queue = new SerialQueue();
    final String name;
    AgentConfig.Service config;
    AgentConfig.Supervision supervision;
    boolean closed;
    private long restartTimer = -1;

    SupervisedService(Shared shared, ServiceStatus status, AgentConfig.Service config, AgentConfig.Supervision supervision) {
        this.shared = shared;
        this.status = status;
        this.name = config.name();
        this.config = config;
        this.supervision = supervision;
        this.policy = new RestartPolicy(supervision, shared.clock(), shared.random());
        this.health = new HealthWatch(shared.vertx(), status, config, this::onProbe);
    }

    /** Each probe's result, after the health watch took it in; nothing by default. */
    void onProbe(ProbeResult r) {
    }

    /** Resets the policy, reports it and starts (or looks) again; {@code why}: what took it out. */
    abstract Future<Void> leaveCrashLoop(String why);

    @Override
    public Future<Void> resetCrashLoop() {
        return queue.submit(() -> {
            if (!inCrashLoop()) {
                log.info("{}: not in a crash loop ({}); nothing to reset", name, status.process());
                return Future.succeededFuture();
            }
            return leaveCrashLoop("crash loop reset");
        });
    }

    @Override
    public void update(AgentConfig.Service c, AgentConfig.Supervision p) {
        AgentConfig.Service old = config;
        config = c;
        supervision = p;
        policy.update(p);
        health.update(c);
        status.configure(c);
        if (!old.equals(c) && inCrashLoop()) {
            queue.submit(() -> inCrashLoop() ? leaveCrashLoop("configuration changed") : Future.<Void>succeededFuture());
        }
    }

    boolean inCrashLoop() {
        return ServiceStatus.CRASH_LOOP.equals(status.process());
    }

    /**
     * The policy said stop restarting: one error line "{@code what}; crash loop: ...", the state
     * "{@code detail}; ...", and a critical event with the policy's numbers and {@code key}: {@code value}.
     */
    void enterCrashLoop(RestartPolicy.CrashLoop cl, String what, String detail, String key, Object value) {
        log.error("{}: {}; crash loop: {}", name, what, cl.describe());
        status.process(ServiceStatus.CRASH_LOOP, detail + "; " + cl.describe());
        status.event("crash_loop", "critical", "crash loop: " + cl.describe(), Map.of(key, value, "exits", cl.exits(),
                "max_restarts", cl.max(), "window_seconds", cl.window().toSeconds()));
    }

    /** Runs {@code op} on the queue after {@code delayMillis} (at least 1), replacing a restart already pending. */
    void scheduleRestart(long delayMillis, Supplier<Future<Void>> op, Handler<Throwable> onFailure) {
        cancelRestart();
        restartTimer = shared.vertx().setTimer(Math.max(1, delayMillis), id -> {
            restartTimer = -1;
            queue.submit(op).onFailure(onFailure);
        });
    }

    boolean restartPending() {
        return restartTimer != -1;
    }

    void cancelRestart() {
        if (restartTimer != -1) {
            shared.vertx().cancelTimer(restartTimer);
            restartTimer = -1;
        }
    }

    /** Marks the service closed, drops a pending restart and stops probing. */
    void stopWatching() {
        closed = true;
        cancelRestart();
        health.stop();
    }
}
