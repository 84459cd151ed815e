package io.rvi.agent.supervision;

import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.ActionSpec;
import io.rvi.agent.core.EventSink;
import io.rvi.agent.core.StateHolder;
import io.rvi.common.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises the agent's services: spawned processes (adopted across agent restarts, restarted with
 * backoff, crash-loop detection), systemd units, or observed-only services; probes their health and role;
 * publishes {@link io.rvi.common.protocol.ServiceState}, events and {@code rvi_process_*} metrics.
 *
 * <p>All state lives on one Vert.x context (the one current when this is constructed, else a new one);
 * public methods may be called from any thread. OS process calls run on {@code processExecutor}.
 * Stopping the agent leaves spawned processes running unless {@code stop_services_on_exit}.
 */
public final class Supervision {
    private static final Logger LOG = LoggerFactory.getLogger(Supervision.class);

    private final Vertx vertx;
    private final Context context;
    private final StateHolder state;
    private final EventSink events;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Shared shared;
    private final Map<String, Entry> services = new LinkedHashMap<>();
    private AgentConfig.Supervision policy;
    private boolean shutDown;
    private volatile StartGate startGate = StartGate.ALWAYS;

    /** One configured service: its status (kept across supervisor replacements) and its current supervisor. */
    private static final class Entry {
        final ServiceStatus status;
        AgentConfig.Service config;
        ServiceRunner runner;

        Entry(ServiceStatus status, AgentConfig.Service config) {
            this.status = status;
            this.config = config;
        }
    }

    public Supervision(Vertx vertx, AgentConfig.Agent agent, AgentConfig.Supervision policy, StateHolder state, EventSink events,
                       ActionRunner actions, MeterRegistry registry, WorkerExecutor processExecutor, Clock clock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.policy = policy;
        this.state = state;
        this.events = events;
        this.registry = registry;
        this.clock = clock;
        this.shared = new Shared(vertx, context, agent, actions, new ProcessOps(processExecutor, new PidFiles(SpawnCommand.runDir(agent))),
                new Systemctl(vertx, context, processExecutor), clock, new SplittableRandom(), () -> startGate);
    }

    /**
     * Sets the gate asked before every spawn of a spawn-mode service (first start and restarts); default:
     * always start. Systemd-mode services are not gated (see {@link StartGate}). Set it before
     * {@link #start}; a later change applies from the next start.
     */
    public Supervision startGate(StartGate gate) {
        this.startGate = gate == null ? StartGate.ALWAYS : gate;
        return this;
    }

    /**
     * Spawn-mode services whose binary is missing or not executable, one message each naming the service
     * and the path. Empty when all is well. For the startup check.
     */
    public static List<String> missingBinaries(Map<String, AgentConfig.Service> services) {
        List<String> problems = new ArrayList<>();
        for (AgentConfig.Service s : services.values()) {
            if (s.mode() != AgentConfig.Mode.SPAWN) {
                continue;
            }
            Path b = s.binary();
            if (b == null) {
                problems.add("service " + s.name() + ": no binary configured");
            } else if (!Files.exists(b)) {
                problems.add("service " + s.name() + ": binary " + b + " does not exist");
            } else if (!Files.isRegularFile(b) || !Files.isExecutable(b)) {
                problems.add("service " + s.name() + ": binary " + b + " is not an executable file");
            }
        }
        return problems;
    }

    /** Adopts or spawns (or starts watching) every service; completes when each has a process state. */
    public Future<Void> start(Map<String, AgentConfig.Service> configured) {
        return onContext(() -> {
            List<Future<Void>> started = new ArrayList<>();
            for (AgentConfig.Service s : configured.values()) {
                if (services.containsKey(s.name())) {
                    LOG.warn("{}: already supervised; use reload to change it", s.name());
                    continue;
                }
                started.add(add(s));
            }
            return join(started);
        });
    }

    /**
     * Applies a new configuration: services whose process settings changed are restarted, new ones start,
     * removed ones stop (when the agent spawned them) and leave the state; the others keep their process
     * and take the new probe settings and restart policy.
     */
    public Future<Void> reload(AgentConfig.Supervision newPolicy, Map<String, AgentConfig.Service> configured) {
        return onContext(() -> {
            if (shutDown) {
                return Future.failedFuture(new IllegalStateException("supervision is shut down"));
            }
            this.policy = newPolicy;
            List<Future<Void>> done = new ArrayList<>();
            for (String name : new ArrayList<>(services.keySet())) {
                if (!configured.containsKey(name)) {
                    Entry e = services.remove(name);
                    LOG.info("{}: removed from the configuration; stopping its supervision", name);
                    done.add(e.runner.stop(true).eventually(() -> {
                        e.status.remove();
                        return Future.succeededFuture();
                    }));
                }
            }
            for (AgentConfig.Service s : configured.values()) {
                Entry e = services.get(s.name());
                if (e == null) {
                    LOG.info("{}: new in the configuration", s.name());
                    done.add(add(s));
                } else if (s.processDiffers(e.config)) {
                    LOG.info("{}: process settings changed; restarting it", s.name());
                    ServiceRunner old = e.runner;
                    e.config = s;
                    e.runner = runner(s, e.status, false);
                    ServiceRunner fresh = e.runner;
                    done.add(old.stop(true).transform(ar -> {
                        if (ar.failed()) {
                            LOG.warn("{}: stopping the old process failed: {}", s.name(), ar.cause().getMessage());
                        }
                        return fresh.start();
                    }));
                } else {
                    e.config = s;
                    e.runner.update(s, newPolicy);
                }
            }
            return join(done);
        });
    }

    /** Restarts one service now (through the action runner). */
    public Future<Void> restart(String name) {
        return onContext(() -> entry(name).compose(e -> e.runner.restart()));
    }

    /** Takes a crash-looping service out of the crash loop and starts it again. */
    public Future<Void> resetCrashLoop(String name) {
        return onContext(() -> entry(name).compose(e -> e.runner.resetCrashLoop()));
    }

    /** Stops probes and timers; stops the processes the agent spawned only when {@code stop_services_on_exit}. */
    public Future<Void> shutdown() {
        return onContext(() -> {
            if (shutDown) {
                return Future.succeededFuture();
            }
            shutDown = true;
            boolean stop = policy.stopServicesOnExit();
            LOG.info("supervision shutting down; {}", stop ? "stopping the services it spawned" : "leaving services running");
            List<Future<Void>> stopped = new ArrayList<>();
            for (Entry e : services.values()) {
                stopped.add(e.runner.stop(stop));
            }
            return join(stopped);
        });
    }

    private Future<Void> add(AgentConfig.Service s) {
        if (shutDown) {
            return Future.failedFuture(new IllegalStateException("supervision is shut down"));
        }
        Entry e = new Entry(new ServiceStatus(s, state, events, registry, clock), s);
        e.runner = runner(s, e.status, true);
        services.put(s.name(), e);
        return e.runner.start();
    }

    /** {@code firstStart}: the service is new to this agent run (not a replacement after a reload). */
    private ServiceRunner runner(AgentConfig.Service s, ServiceStatus status, boolean firstStart) {
        return switch (s.mode()) {
            case SPAWN -> new SpawnedService(shared, status, s, policy, firstStart);
            case SYSTEMD -> new SystemdService(shared, status, s, policy);
            case NONE -> new ObservedService(shared, status, s);
        };
    }

    private Future<Entry> entry(String name) {
        Entry e = services.get(name);
        return e == null ? Future.failedFuture(new ActionSpec.NotRetryable("unknown service " + name))
                : Future.succeededFuture(e);
    }

    private static Future<Void> join(List<Future<Void>> all) {
        return Future.join(all).transform(ar -> {
            for (Future<Void> f : all) {
                if (f.failed()) {
                    return Future.failedFuture(f.cause());
                }
            }
            return Future.succeededFuture();
        });
    }

    private <T> Future<T> onContext(Supplier<Future<T>> work) {
        if (Vertx.currentContext() == context) {
            return work.get();
        }
        Promise<T> p = Promise.promise();
        context.runOnContext(v -> {
            try {
                work.get().onComplete(p);
            } catch (RuntimeException e) {
                p.fail(e);
            }
        });
        return p.future();
    }
}
