package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionSpec;
import io.rvi.agent.redis.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises a service the agent runs itself (mode spawn): adopts the process it started before (pidfile),
 * leaves a foreign one alone, else spawns; restarts after exits under the {@link RestartPolicy}; stops
 * after a crash loop. Does not restart for failed probes. Everything runs on the supervision context;
 * OS calls go through {@link ProcessOps} (worker).
 */
final class SpawnedService extends SupervisedService {
    private static final Logger LOG = LoggerFactory.getLogger(SpawnedService.class);
    static final Duration SPAWN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long EXIT_POLL_MS = 100;

    /** A process being watched: spawned by us (a child) or adopted from the pidfile. */
    private static final class Watched {
        final long pid;
        final long startedAt;
        final boolean child;
        final Promise<ExitStatus> exit = Promise.promise();
        boolean stopping;

        Watched(long pid, long startedAt, boolean child) {
            this.pid = pid;
            this.startedAt = startedAt;
            this.child = child;
        }
    }

    private Watched current;
    private int portFreeProbes;

    SpawnedService(Shared shared, ServiceStatus status, AgentConfig.Service config, AgentConfig.Supervision supervision) {
        super(shared, status, config, supervision);
    }

    @Override
    public Future<Void> start() {
        status.configure(config);
        status.process(ServiceStatus.STARTING, "looking for a running instance");
        health.start();
        return queue.submit(() -> settle(true, false));
    }

    @Override
    public Future<Void> restart() {
        return queue.submit(() -> {
            if (ServiceStatus.FOREIGN.equals(status.process())) {
                return Future.failedFuture(new ActionSpec.NotRetryable(name + " is run by another process (foreign); not restarting it"));
            }
            Duration timeout = supervision.stopTimeout().plus(KILL_WAIT).plus(SPAWN_TIMEOUT);
            return shared.actions().run(ActionSpec.once("restart", timeout), name, () -> {
                cancelRestart();
                if (inCrashLoop()) {
                    policy.reset();
                }
                LOG.info("{}: restart requested", name);
                Future<Void> stopped = current == null ? Future.succeededFuture() : terminate(current, "restart requested");
                return stopped.compose(v -> spawn(true));
            });
        });
    }

    @Override
    public Future<Void> stop(boolean stopProcess) {
        stopWatching();
        return queue.submit(() -> {
            Watched w = current;
            if (w == null) {
                if (!ServiceStatus.FOREIGN.equals(status.process())) {
                    status.process(ServiceStatus.STOPPED, "not supervised any more");
                }
                return Future.succeededFuture();
            }
            if (!stopProcess) {
                LOG.info("{}: no longer supervised; leaving pid {} running", name, w.pid);
                return Future.succeededFuture();
            }
            return terminate(w, "supervision stopped").compose(v -> shared.ops().deletePidFile(name, w.pid))
                    .onSuccess(v -> status.process(ServiceStatus.STOPPED, "stopped by the agent"));
        });
    }

    @Override
    Future<Void> leaveCrashLoop(String why) {
        policy.reset();
        LOG.info("{}: {}; leaving the crash loop and starting again", name, why);
        status.event("crash_loop_reset", "info", why + "; starting again", Map.of());
        status.process(ServiceStatus.STARTING, why);
        return settle(true, false);
    }

    /**
     * Looks at pidfile, PID and port, then adopts, replaces, marks foreign or spawns ({@code isRestart}: a
     * restart after an exit; the port is looked at again, so a process that took it meanwhile is foreign
     * rather than a cause of crash loops).
     */
    private Future<Void> settle(boolean mayReplace, boolean isRestart) {
        if (closed) {
            return Future.succeededFuture();
        }
        AgentConfig.Service c = config;
        return shared.ops().lookup(name, c.binary()).compose(found -> health.probeNow().compose(probe -> {
            if (closed) {
                return Future.succeededFuture();
            }
            StartDecision.Expected expected = new StartDecision.Expected(c.binary().toString(), found.executable(),
                    c.address().toString(), PidRecord.hashArgs(c.args()));
            StartDecision.Outcome o = StartDecision.decide(found.record(), found.facts(), probe.portInUse(), expected);
            Future<Void> cleaned = o.stalePidFile() ? shared.ops().deletePidFile(name, found.record().pid()) : Future.succeededFuture();
            return cleaned.compose(v -> act(o, found.record(), mayReplace, isRestart));
        }));
    }

    private Future<Void> act(StartDecision.Outcome o, PidRecord record, boolean mayReplace, boolean isRestart) {
        switch (o.action()) {
            case ADOPT:
                return watch(record.pid(), record.startedAt()).map(w -> {
                    LOG.info("{}: adopted pid {}: {}", name, w.pid, o.reason());
                    status.runningAs(ServiceStatus.RUNNING, w.pid, w.startedAt, "adopted: " + o.reason());
                    status.event("process_adopted", "info", "adopted pid " + w.pid,
                            Map.of("pid", w.pid, "address", config.address().toString()));
                    follow(w); // after the state: an exit already seen is handled now, on top of it
                    return null;
                });
            case REPLACE:
                if (!mayReplace) {
                    foreign(o.reason() + " and could not be replaced");
                    return Future.succeededFuture();
                }
                LOG.info("{}: {}; replacing it", name, o.reason());
                return watch(record.pid(), record.startedAt())
                        .compose(w -> terminate(w, "configuration changed while the agent was down"))
                        .compose(v -> shared.ops().deletePidFile(name, record.pid()))
                        .compose(v -> settle(false, isRestart));
            case FOREIGN:
                foreign(o.reason());
                return Future.succeededFuture();
            default:
                if (!isRestart) {
                    LOG.info("{}: {}; starting it", name, o.reason());
                }
                return shared.actions().run(ActionSpec.once(isRestart ? "restart" : "start", SPAWN_TIMEOUT), name,
                        () -> spawn(isRestart)).otherwise((Void) null); // a failure is in the state; callers go on
        }
    }

    private void foreign(String reason) {
        portFreeProbes = 0;
        LOG.warn("{}: {}: another process runs it (foreign); not starting a duplicate, probing only", name, reason);
        status.process(ServiceStatus.FOREIGN, reason);
        status.event("foreign_process", "warning", "another process serves " + config.address() + " (foreign); not starting it",
                Map.of("address", config.address().toString(), "reason", reason));
    }

    /** Starts the process (one attempt; the restart policy is the retry). */
    private Future<Void> spawn(boolean isRestart) {
        if (closed) {
            return Future.failedFuture(new ActionSpec.NotRetryable(name + " is no longer supervised"));
        }
        if (current != null) {
            return Future.succeededFuture(); // already running (e.g. a joined restart)
        }
        cancelRestart();
        AgentConfig.Service c = config;
        status.process(ServiceStatus.STARTING, isRestart ? "restarting" : "starting");
        String hash = PidRecord.hashArgs(c.args());
        return shared.ops().spawn(name, SpawnCommand.argv(c), c.binary(), SpawnCommand.workDir(c, shared.agent()),
                SpawnCommand.logFile(c, shared.agent()), (pid, startedAt) -> new PidRecord(pid, startedAt, c.binary().toString(),
                        ProcessOps.realPath(c.binary().toString()), c.address().toString(), hash))
                .transform(ar -> {
                    if (ar.failed()) {
                        startFailed(ar.cause());
                        return Future.failedFuture(ar.cause());
                    }
                    ProcessOps.Spawned sp = ar.result();
                    Watched w = new Watched(sp.pid(), sp.startedAt(), true);
                    ProcessOps.onExit(shared.context(), sp.process(), null, w.exit);
                    follow(w);
                    if (isRestart) {
                        status.restarted();
                    }
                    LOG.info("{}: {} pid {} ({} on {}, log {})", name, isRestart ? "restarted as" : "started", w.pid, c.binary(),
                            c.address(), SpawnCommand.logFile(c, shared.agent()));
                    status.runningAs(ServiceStatus.RUNNING, w.pid, w.startedAt, isRestart ? "restarted by the agent" : "started by the agent");
                    status.event("process_started", "info", "started pid " + w.pid, Map.of("pid", w.pid,
                            "binary", c.binary().toString(), "address", c.address().toString(), "restart", isRestart));
                    return Future.succeededFuture();
                });
    }

    private Future<Watched> watch(long pid, long startedAt) {
        return shared.ops().handle(pid).map(h -> {
            Watched w = new Watched(pid, startedAt, false);
            if (h.isPresent()) {
                ProcessOps.onExit(shared.context(), null, h.get(), w.exit);
            } else {
                w.exit.tryComplete(new ExitStatus(null));
            }
            return w;
        });
    }

    private void follow(Watched w) {
        current = w;
        w.exit.future().onSuccess(st -> onExit(w, st));
    }

    private void onExit(Watched w, ExitStatus st) {
        if (w != current || w.stopping) {
            return; // stopped on purpose: terminate() reports it
        }
        current = null;
        if (closed) {
            LOG.debug("{}: pid {} {} after supervision stopped", name, w.pid, st.describe());
            return; // no longer ours to report: the next agent run finds the stale pidfile
        }
        status.exited();
        shared.ops().deletePidFile(name, w.pid);
        health.processDown("process " + st.describe());
        Map<String, Object> data = new HashMap<>(st.data());
        data.put("pid", w.pid);
        status.event("process_exited", "warning", "pid " + w.pid + " " + st.describe(), data);
        afterFailure(st.describe(), ServiceStatus.BACKOFF);
    }

    private void startFailed(Throwable cause) {
        String why = "cannot start: " + cause.getMessage();
        status.event("process_start_failed", "warning", why, Map.of("binary", config.binary().toString(), "error", String.valueOf(cause.getMessage())));
        afterFailure(why, ServiceStatus.FAILED);
    }

    /** An exit or a failed start: restart after a backoff, or declare a crash loop. */
    private void afterFailure(String what, String waitingState) {
        RestartPolicy.Decision d = policy.onExit();
        if (d instanceof RestartPolicy.CrashLoop cl) {
            enterCrashLoop(cl, what, what, "last", what);
            return;
        }
        RestartPolicy.Restart r = (RestartPolicy.Restart) d;
        LOG.warn("{}: {}, {}", name, what, r.describe());
        status.process(waitingState, what + "; " + r.describe());
        scheduleRestart(r.delayMillis(), () -> closed || current != null ? Future.<Void>succeededFuture() : settle(true, true),
                err -> LOG.warn("{}: restart failed: {}", name, err.getMessage()));
    }

    /** SIGTERM, then SIGKILL after stop_timeout; completes when the process is gone. */
    private Future<Void> terminate(Watched w, String why) {
        w.stopping = true;
        Duration grace = supervision.stopTimeout();
        LOG.info("{}: stopping pid {} ({}): SIGTERM, SIGKILL after {}", name, w.pid, why, Durations.words(grace));
        return shared.ops().signal(w.pid, false)
                .compose(sent -> waitExit(w, grace))
                .compose(gone -> {
                    if (gone) {
                        return Future.succeededFuture();
                    }
                    LOG.warn("{}: pid {} still running {} after SIGTERM; sending SIGKILL", name, w.pid, Durations.words(grace));
                    return shared.ops().signal(w.pid, true).compose(x -> waitExit(w, KILL_WAIT)).compose(dead -> dead
                            ? Future.<Void>succeededFuture()
                            : Future.failedFuture("pid " + w.pid + " still alive " + Durations.words(KILL_WAIT) + " after SIGKILL"));
                })
                .onSuccess(v -> {
                    if (current == w) {
                        current = null;
                    }
                    health.reset("stopped on purpose");
                    status.event("process_stopped", "info", "stopped pid " + w.pid + " (" + why + ")", Map.of("pid", w.pid, "reason", why));
                });
    }

    /** True once the process is gone, false after {@code limit}. Polls liveness too: the JDK notices a non-child's exit late. */
    private Future<Boolean> waitExit(Watched w, Duration limit) {
        Promise<Boolean> p = Promise.promise();
        long deadline = shared.clock().nanos() + limit.toNanos();
        w.exit.future().onComplete(ar -> p.tryComplete(true));
        if (!w.child) {
            pollGone(w, deadline, p);
        }
        long timer = shared.vertx().setTimer(Math.max(1, limit.toMillis()), id -> p.tryComplete(false));
        return p.future().andThen(ar -> shared.vertx().cancelTimer(timer));
    }

    private void pollGone(Watched w, long deadline, Promise<Boolean> p) {
        if (p.future().isComplete() || shared.clock().nanos() > deadline) {
            return;
        }
        shared.ops().isAlive(w.pid).onComplete(ar -> {
            if (ar.succeeded() && !ar.result()) {
                w.exit.tryComplete(new ExitStatus(null));
            } else {
                shared.vertx().setTimer(EXIT_POLL_MS, id -> pollGone(w, deadline, p));
            }
        });
    }

    @Override
    void onProbe(ProbeResult r) {
        if (closed) {
            return;
        }
        if (ServiceStatus.FOREIGN.equals(status.process())) {
            portFreeProbes = r.portInUse() ? 0 : portFreeProbes + 1;
            if (portFreeProbes >= config.unhealthyAfter()) {
                LOG.info("{}: the foreign process on {} is gone; starting our own", name, config.address());
                status.process(ServiceStatus.STARTING, "foreign process gone");
                queue.submit(() -> settle(true, false));
            }
            return;
        }
        Watched w = current;
        if (!r.healthy() && w != null && !w.child && !w.stopping) {
            shared.ops().isAlive(w.pid).onSuccess(alive -> {
                if (!alive) {
                    w.exit.tryComplete(new ExitStatus(null));
                }
            });
        }
    }
}
