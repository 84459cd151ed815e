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
final class SystemdService extends SupervisedService {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdService.class);
    static final Duration SHOW_TIMEOUT = Duration.ofSeconds(15);
    /** systemd's default start timeout is 90 s; {@code systemctl restart} waits for the job. */
    static final Duration RESTART_TIMEOUT = Duration.ofSeconds(100);

    private SystemdStatus last;
    private long lastStartedAt;
    private String lastError;
    private long pollTimer = -1;

    SystemdService(Shared shared, ServiceStatus status, AgentConfig.Service config, AgentConfig.Supervision supervision) {
        super(shared, status, config, supervision);
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
            if (inCrashLoop()) {
                policy.reset();
            }
            LOG.info("{}: restart of unit {} requested", name, config.unit());
            return restartUnit();
        });
    }

    @Override
    public Future<Void> stop(boolean stopProcess) {
        stopWatching();
        if (pollTimer != -1) {
            shared.vertx().cancelTimer(pollTimer);
            pollTimer = -1;
        }
        LOG.info("{}: no longer watching unit {} (the agent never stops a systemd unit)", name, config.unit());
        return Future.succeededFuture();
    }

    @Override
    Future<Void> leaveCrashLoop(String why) {
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
        if (inCrashLoop()) {
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
        if (restartPending() || shared.actions().isRunning("restart", name)) {
            return;
        }
        RestartPolicy.Decision d = policy.onExit();
        if (d instanceof RestartPolicy.CrashLoop cl) {
            enterCrashLoop(cl, "unit " + unit + " is " + s.describe(), "unit " + unit + " " + s.describe(), "unit", unit);
            return;
        }
        RestartPolicy.Restart r = (RestartPolicy.Restart) d;
        LOG.warn("{}: unit {} is {}, {}", name, unit, s.describe(), r.describe());
        status.process(s.processState(), "unit " + unit + " " + s.describe() + "; " + r.describe());
        scheduleRestart(r.delayMillis(), () -> closed ? Future.<Void>succeededFuture() : restartUnit(),
                err -> LOG.debug("{}: restart failed: {}", name, err.getMessage()));
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
}
