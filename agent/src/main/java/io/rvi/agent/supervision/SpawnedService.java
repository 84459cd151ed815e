package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionSpec;
import io.rvi.agent.redis.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises a service the agent runs itself (mode spawn): adopts the process it started before (pidfile),
 * leaves a foreign one alone, else spawns; restarts after exits under the {@link RestartPolicy}; stops
 * after a crash loop. Does not restart for failed probes. Before every spawn it asks the {@link StartGate}
 * (hold, or start with extra arguments; a hold is not an exit and does not count toward a crash loop).
 * Everything runs on the supervision context; OS calls go through {@link ProcessOps} (worker).
 */
final class SpawnedService extends SupervisedService {
    private static final Logger LOG = LoggerFactory.getLogger(SpawnedService.class);
    static final Duration SPAWN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long EXIT_POLL_MS = 100;
    /** How soon a held start asks the gate again. */
    static final long HOLD_RETRY_MS = 500;
    /** A gate that has not answered by then counts as failed: start as configured. */
    static final Duration GATE_TIMEOUT = Duration.ofSeconds(5);

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
    /** True until the first process is adopted, found foreign or let start by the gate (the gate's {@code restart=false}). */
    private boolean firstStart;
    /** The gate's last answer, to log and report once per change rather than once per ask. */
    private StartPlan lastPlan;

    /** {@code firstStart}: the service is new to this agent run, not a replacement after a reload. */
    SpawnedService(Shared shared, ServiceStatus status, AgentConfig.Service config, AgentConfig.Supervision supervision,
                   boolean firstStart) {
        super(shared, status, config, supervision);
        this.firstStart = firstStart;
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
                return stopped.compose(v -> askGate(true)).compose(plan -> {
                    if (closed || current != null) {
                        return spawn(true, plan); // refuses, or already running
                    }
                    if (plan.hold()) {
                        hold(plan, true);
                        return Future.failedFuture(new ActionSpec.NotRetryable(name + " stopped; its start is held: " + plan.reason()));
                    }
                    released(plan);
                    return spawn(true, plan);
                });
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
                firstStart = false;
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
                firstStart = false;
                foreign(o.reason());
                return Future.succeededFuture();
            default:
                if (!isRestart && !holding()) {
                    LOG.info("{}: {}; starting it", name, o.reason());
                }
                return throughGate(isRestart);
        }
    }

    /** Asks the gate, then holds (and asks again later) or spawns through the action runner. */
    private Future<Void> throughGate(boolean isRestart) {
        return askGate(isRestart || !firstStart).compose(plan -> {
            if (closed || current != null) {
                return Future.succeededFuture();
            }
            if (plan.hold()) {
                hold(plan, isRestart);
                return Future.succeededFuture();
            }
            released(plan);
            return shared.actions().run(ActionSpec.once(isRestart ? "restart" : "start", SPAWN_TIMEOUT), name,
                    () -> spawn(isRestart, plan)).otherwise((Void) null); // a failure is in the state; callers go on
        });
    }

    /**
     * The gate's plan, on the supervision context. A gate that throws, fails, answers null or does not
     * answer within {@link #GATE_TIMEOUT} lets the start go as configured: a gate can delay a start, never
     * lose the service.
     */
    private Future<StartPlan> askGate(boolean restart) {
        Promise<StartPlan> p = Promise.promise();
        long timer = shared.vertx().setTimer(GATE_TIMEOUT.toMillis(), id -> p.tryFail(
                new TimeoutException("no answer within " + Durations.words(GATE_TIMEOUT))));
        Future<StartPlan> asked;
        try {
            asked = shared.gate().get().beforeStart(config, restart);
        } catch (RuntimeException e) {
            asked = Future.failedFuture(e);
        }
        if (asked == null) {
            asked = Future.failedFuture(new IllegalStateException("the gate returned no future"));
        }
        asked.onComplete(ar -> shared.context().runOnContext(v -> {
            shared.vertx().cancelTimer(timer);
            if (ar.succeeded() && ar.result() != null) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(ar.failed() ? ar.cause() : new IllegalStateException("the gate answered null"));
            }
        }));
        return p.future().recover(err -> {
            LOG.warn("{}: start gate failed ({}); starting as configured", name, err.getMessage() == null ? err.toString() : err.getMessage());
            return Future.succeededFuture(StartPlan.proceed());
        });
    }

    private boolean holding() {
        return lastPlan != null && lastPlan.hold();
    }

    /**
     * Not starting now: {@code starting} (first start) or {@code backoff} with the reason, one line and one
     * {@code start_held} event per change of reason, and the gate asked again after {@link #HOLD_RETRY_MS}.
     * Not an exit: the restart policy does not hear of it.
     */
    private void hold(StartPlan plan, boolean isRestart) {
        String detail = "start held: " + plan.reason();
        if (!plan.equals(lastPlan)) {
            LOG.warn("{}: {}", name, detail);
            status.event("start_held", "warning", detail, Map.of("reason", plan.reason(), "restart", isRestart));
        }
        lastPlan = plan;
        String waiting = isRestart ? ServiceStatus.BACKOFF : ServiceStatus.STARTING;
        if (!waiting.equals(status.process()) || !detail.equals(status.detail())) {
            status.process(waiting, detail);
        }
        scheduleRestart(HOLD_RETRY_MS, () -> closed || current != null ? Future.<Void>succeededFuture() : settle(true, isRestart),
                err -> LOG.warn("{}: start after a hold failed: {}", name, err.getMessage()));
    }

    /**
     * The gate lets the start go: a {@code start_released} event when it held before (the log line is the
     * spawn's, which names the gate's reason).
     */
    private void released(StartPlan plan) {
        if (holding()) {
            String why = plan.reason().isEmpty() ? "starting as configured" : plan.reason();
            LOG.debug("{}: start no longer held: {}", name, why);
            status.event("start_released", "info", "start no longer held: " + why, Map.of("reason", why));
        }
        lastPlan = plan;
        firstStart = false;
    }

    private void foreign(String reason) {
        portFreeProbes = 0;
        LOG.warn("{}: {}: another process runs it (foreign); not starting a duplicate, probing only", name, reason);
        status.process(ServiceStatus.FOREIGN, reason);
        status.event("foreign_process", "warning", "another process serves " + config.address() + " (foreign); not starting it",
                Map.of("address", config.address().toString(), "reason", reason));
    }

    /** Starts the process with the gate's extra arguments (one attempt; the restart policy is the retry). */
    private Future<Void> spawn(boolean isRestart, StartPlan plan) {
        if (closed) {
            return Future.failedFuture(new ActionSpec.NotRetryable(name + " is no longer supervised"));
        }
        if (current != null) {
            return Future.succeededFuture(); // already running (e.g. a joined restart)
        }
        cancelRestart();
        AgentConfig.Service c = config;
        status.process(ServiceStatus.STARTING, isRestart ? "restarting" : "starting");
        String hash = PidRecord.hashArgs(c.args()); // the configured arguments only: adoption compares those
        return shared.ops().spawn(name, SpawnCommand.argv(c, plan.extraArgs()), c.binary(), SpawnCommand.workDir(c, shared.agent()),
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
                    String gate = plan.reason().isEmpty() ? "" : ": " + plan.reason();
                    LOG.info("{}: {} pid {} ({} on {}, log {}){}", name, isRestart ? "restarted as" : "started", w.pid, c.binary(),
                            c.address(), SpawnCommand.logFile(c, shared.agent()), gate);
                    status.runningAs(ServiceStatus.RUNNING, w.pid, w.startedAt,
                            (isRestart ? "restarted by the agent" : "started by the agent") + gate);
                    Map<String, Object> data = new HashMap<>(Map.of("pid", w.pid, "binary", c.binary().toString(),
                            "address", c.address().toString(), "restart", isRestart));
                    if (!plan.reason().isEmpty()) {
                        data.put("start_gate", plan.reason());
                    }
                    status.event("process_started", "info", "started pid " + w.pid, data);
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
