package io.rvi.agent.supervision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.EventSink;
import io.rvi.agent.core.StateHolder;
import io.rvi.common.Clock;
import io.rvi.common.protocol.ServiceState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One service's observed state, published to the {@link StateHolder} on every change, with its meters
 * ({@code rvi_process_*}, {@code rvi_service_healthy}) and its events. Lives as long as the service is
 * configured, across restarts of its supervisor, so counters do not reset on reload. Mutated on the
 * supervision context only; gauges read volatile fields.
 */
final class ServiceStatus {
    static final String STARTING = "starting";
    static final String RUNNING = "running";
    static final String BACKOFF = "backoff";
    static final String CRASH_LOOP = "crash_loop";
    static final String STOPPED = "stopped";
    static final String FOREIGN = "foreign";
    static final String FAILED = "failed";
    static final String UNKNOWN = "unknown";

    private final String name;
    private final StateHolder state;
    private final EventSink events;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter restartsTotal;
    private final Counter exitsTotal;
    private final List<Meter> meters = new ArrayList<>();

    private AgentConfig.Service config;
    private volatile String process = UNKNOWN;
    private volatile String health = HealthTracker.UNKNOWN;
    private volatile long startedAtMillis;
    private long pid;
    private String role;
    private int restarts;
    private String detail = "";
    private long since;
    private boolean removed;

    ServiceStatus(AgentConfig.Service config, StateHolder state, EventSink events, MeterRegistry registry, Clock clock) {
        this.name = config.name();
        this.config = config;
        this.state = state;
        this.events = events;
        this.registry = registry;
        this.clock = clock;
        this.since = clock.millis();
        restartsTotal = meter(Counter.builder("rvi.process.restarts").description("Restarts of the service made by the agent")
                .tag("service", name).register(registry));
        exitsTotal = meter(Counter.builder("rvi.process.exits").description("Exits of the service's process seen by the agent")
                .tag("service", name).register(registry));
        meter(Gauge.builder("rvi.process.crash.loop", this, s -> CRASH_LOOP.equals(s.process) ? 1 : 0)
                .description("1 while the agent has stopped restarting the service (crash loop)").tag("service", name).register(registry));
        meter(Gauge.builder("rvi.process.up", this, s -> RUNNING.equals(s.process) || FOREIGN.equals(s.process) ? 1 : 0)
                .description("1 while the service's process runs (spawned, adopted, systemd-active or foreign)")
                .tag("service", name).register(registry));
        meter(Gauge.builder("rvi.service.healthy", this, s -> HealthTracker.HEALTHY.equals(s.health) ? 1 : 0)
                .description("1 while the service answers its health probe").tag("service", name).register(registry));
        meter(Gauge.builder("rvi.process.start.time", this, s -> s.startedAtMillis / 1000.0).baseUnit("seconds")
                .description("Start time of the service's process, epoch seconds (0 = unknown)").tag("service", name).register(registry));
        publish();
    }

    private <M extends Meter> M meter(M m) {
        meters.add(m);
        return m;
    }

    String name() {
        return name;
    }

    String process() {
        return process;
    }

    String health() {
        return health;
    }

    long pid() {
        return pid;
    }

    String detail() {
        return detail;
    }

    int restarts() {
        return restarts;
    }

    /** The service's configuration changed (kind, mode, address show in the state). */
    void configure(AgentConfig.Service c) {
        this.config = c;
        publish();
    }

    /** Sets the process state (no PID: see {@link #runningAs}); {@code since} moves only when the state changes. */
    void process(String p, String why) {
        set(p, why, 0, 0);
        publish();
    }

    /** The process state with its PID and start time (epoch ms, 0 = unknown): a process runs, or is starting. */
    void runningAs(String p, long newPid, long startedAt, String why) {
        set(p, why, newPid, startedAt);
        publish();
    }

    private void set(String p, String why, long newPid, long startedAt) {
        if (!p.equals(process)) {
            since = clock.millis();
        }
        process = p;
        detail = why;
        pid = Math.max(0, newPid);
        startedAtMillis = Math.max(0, startedAt);
    }

    void detail(String why) {
        detail = why;
        publish();
    }

    void health(String h) {
        health = h;
        publish();
    }

    void role(String r) {
        role = r;
        publish();
    }

    String role() {
        return role;
    }

    void restarted() {
        restarts++;
        restartsTotal.increment();
        publish();
    }

    void exited() {
        exitsTotal.increment();
    }

    void event(String type, String severity, String message, Map<String, Object> data) {
        Map<String, Object> d = new HashMap<>(data);
        d.putIfAbsent("service", name);
        d.values().removeIf(java.util.Objects::isNull);
        events.emit(type, severity, name, name + ": " + message, Map.copyOf(d));
    }

    /** The service is no longer configured: its state entry and meters go. */
    void remove() {
        removed = true;
        meters.forEach(registry::remove);
        state.remove(name);
    }

    private void publish() {
        if (removed) {
            return;
        }
        state.put(new ServiceState(name, config.kind().name().toLowerCase(Locale.ROOT), config.mode().name().toLowerCase(Locale.ROOT),
                process, health, pid, role, config.address().toString(), restarts, detail, since));
    }
}
