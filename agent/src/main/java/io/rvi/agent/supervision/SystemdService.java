package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionSpec;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises a service run by systemd (mode systemd): polls {@code systemctl show} every
 * {@code systemd_poll_interval}, maps the unit's state, and restarts a failed or inactive unit with
 * {@code systemctl restart} under the same {@link RestartPolicy} as spawned services (backoff, crash
 * loop). A unit found active again while crash-looping (an operator started it) leaves the crash loop.
 * The agent never stops a unit: it did not start it.
 */
final class SystemdService implements ServiceRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdService.class);
    static final Duration SHOW_TIMEOUT = Duration.ofSeconds(15);
    /** systemd's default start timeout is 90 s; {@code systemctl restart} waits for the job. */
    static final Duration RESTART_TIMEOUT = Duration.ofSeconds(100);

    private final Shared shared;
    private final ServiceStatus status;
    private final HealthWatch health;
    private final RestartPolicy policy;
    private final SerialQueue queue = new SerialQueue();
    private final String name;
    private AgentConfig.Service config;
    private AgentConfig.Supervision supervision;
    private SystemdStatus last;
    private long lastStartedAt;
    private String lastError;
    private long pollTimer = -1;
    private long restartTimer = -1;
    private boolean closed;

    SystemdService(Shared shared, ServiceStatus status, AgentConfig.Service config, AgentConfig.Supervision supervision) {
        this.shared = shared;
        this.status = status;
        this.name = config.name();
        this.config = config;
        this.supervision = supervision;
        this.policy = new RestartPolicy(supervision, shared.clock(), shared.random());
        this.health = new HealthWatch(shared.vertx(), status, config, r -> { });
    }

    @Override
    public Future<Void> start() {
        status.configure(config);
        status.process(ServiceStatus.STARTING, "asking systemd about " + config.unit());
        health.start();
        health.probeNow();
        return queue.submit(this::poll).onComplete(ar -> schedulePoll());
    }

    @Override
    public Future<Void> restart() {
        return queue.submit(() -> {
            cancelRestart();
            if (ServiceStatus.CRASH_LOOP.equals(status.process())) {
                policy.reset();
            }
            LOG.info("{}: restart of unit {} requested", name, config.unit());
            return restartUnit();
        });
    }

    @Override
    public Future<Void> resetCrashLoop() {
        return queue.submit(() -> {
            if (!ServiceStatus.CRASH_LOOP.equals(status.process())) {
                LOG.info("{}: not in a crash loop ({}); nothing to reset", name, status.process());
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
        if (!old.equals(c) && ServiceStatus.CRASH_LOOP.equals(status.process())) {
            queue.submit(() -> ServiceStatus.CRASH_LOOP.equals(status.process())
                    ? leaveCrashLoop("configuration changed") : Future.<Void>succeededFuture());
        }
    }

    @Override
    public Future<Void> stop(boolean stopProcess) {
        closed = true;
        cancelRestart();
        if (pollTimer != -1) {
            shared.vertx().cancelTimer(pollTimer);
            pollTimer = -1;
        }
        health.stop();
        LOG.info("{}: no longer watching unit {} (the agent never stops a systemd unit)", name, config.unit());
        return Future.succeededFuture();
    }

    private Future<Void> leaveCrashLoop(String why) {
        policy.reset();
        LOG.info("{}: {}; leaving the crash loop", name, why);
        status.event("crash_loop_reset", "info", why, Map.of("unit", config.unit()));
        status.process(ServiceStatus.STARTING, why);
        last = null;
        return poll();
    }

    private void schedulePoll() {
        if (closed || pollTimer != -1) {
            return;
        }
        pollTimer = shared.vertx().setTimer(Math.max(1, supervision.systemdPollInterval().toMillis()), id -> {
            pollTimer = -1;
            if (!closed) {
                poll().onComplete(ar -> schedulePoll());
            }
        });
    }

    /** One {@code systemctl show}; never fails (a failure is a state). */
    private Future<Void> poll() {
        if (closed) {
            return Future.succeededFuture();
        }
        return shared.systemctl().show(supervision.systemctl(), config.unit(), SHOW_TIMEOUT)
                .compose(s -> s.mainPid() > 0 && (last == null || last.mainPid() != s.mainPid())
                        ? shared.ops().inspect(s.mainPid()).map(f -> {
                            lastStartedAt = f.startedAt();
                            return s;
                        })
                        : Future.succeededFuture(s))
                .transform(ar -> {
                    if (closed) {
                        return Future.succeededFuture();
                    }
                    if (ar.failed()) {
                        showFailed(ar.cause());
                    } else {
                        observe(ar.result());
                    }
                    return Future.succeededFuture();
                });
    }

    private void showFailed(Throwable cause) {
        String why = "systemctl show " + config.unit() + " failed: " + cause.getMessage();
        if (!why.equals(lastError)) {
            LOG.warn("{}: {}", name, why);
            lastError = why;
        }
        status.process(ServiceStatus.UNKNOWN, why);
    }

    private void observe(SystemdStatus s) {
        SystemdStatus prev = last;
        last = s;
        lastError = null;
        String unit = config.unit();
        if (prev != null && s.nRestarts() > prev.nRestarts()) {
            long n = s.nRestarts() - prev.nRestarts();
            LOG.warn("{}: systemd restarted unit {} itself ({} time(s))", name, unit, n);
            for (long i = 0; i < n; i++) {
                status.exited();
            }
            status.event("process_exited", "warning", "systemd restarted unit " + unit + " " + n + " time(s)",
                    Map.of("unit", unit, "systemd_restarts", n, "pid", s.mainPid()));
        } else if (prev != null && !prev.needsRestart() && s.needsRestart()) {
            status.exited();
            LOG.warn("{}: unit {} went {}", name, unit, s.describe());
            status.event("process_exited", "warning", "unit " + unit + " went " + s.describe(),
                    Map.of("unit", unit, "state", s.activeState(), "result", s.result(), "pid", prev.mainPid()));
        }
        if (ServiceStatus.CRASH_LOOP.equals(status.process())) {
            if (!"running".equals(s.processState())) {
                return;
            }
            policy.reset();
            LOG.info("{}: unit {} is active again; leaving the crash loop", name, unit);
            status.event("crash_loop_reset", "info", "unit " + unit + " is active again", Map.of("unit", unit));
        }
        if (!s.needsRestart()) {
            status.runningAs(s.processState(), s.mainPid(), s.mainPid() > 0 ? lastStartedAt : 0, "unit " + unit + " " + s.describe());
            return;
        }
        if (restartTimer != -1 || shared.actions().isRunning("restart", name)) {
            return;
        }
        RestartPolicy.Decision d = policy.onExit();
        if (d instanceof RestartPolicy.CrashLoop cl) {
            LOG.error("{}: unit {} is {}; crash loop: {}", name, unit, s.describe(), cl.describe());
            status.process(ServiceStatus.CRASH_LOOP, "unit " + unit + " " + s.describe() + "; " + cl.describe());
            status.event("crash_loop", "critical", "crash loop: " + cl.describe(), Map.of("unit", unit, "exits", cl.exits(),
                    "max_restarts", cl.max(), "window_seconds", cl.window().toSeconds()));
            return;
        }
        RestartPolicy.Restart r = (RestartPolicy.Restart) d;
        LOG.warn("{}: unit {} is {}, {}", name, unit, s.describe(), r.describe());
        status.process(s.processState(), "unit " + unit + " " + s.describe() + "; " + r.describe());
        restartTimer = shared.vertx().setTimer(Math.max(1, r.delayMillis()), id -> {
            restartTimer = -1;
            queue.submit(() -> closed ? Future.<Void>succeededFuture() : restartUnit())
                    .onFailure(err -> LOG.debug("{}: restart failed: {}", name, err.getMessage()));
        });
    }

    /** {@code systemctl restart UNIT} through the action runner, then a fresh look. */
    private Future<Void> restartUnit() {
        String unit = config.unit();
        return shared.actions().run(ActionSpec.once("restart", RESTART_TIMEOUT), name,
                        () -> shared.systemctl().restart(supervision.systemctl(), unit, RESTART_TIMEOUT.minusSeconds(5)))
                .andThen(ar -> {
                    if (ar.succeeded()) {
                        status.restarted();
                        LOG.info("{}: restarted unit {}", name, unit);
                    } else {
                        LOG.warn("{}: systemctl restart {} failed: {}", name, unit, ar.cause().getMessage());
                    }
                })
                .eventually(this::poll);
    }

    private void cancelRestart() {
        if (restartTimer != -1) {
            shared.vertx().cancelTimer(restartTimer);
            restartTimer = -1;
        }
    }
}
