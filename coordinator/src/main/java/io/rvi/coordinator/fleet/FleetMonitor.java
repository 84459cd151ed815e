package io.rvi.coordinator.fleet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Publishes the fleet's gauges ({@code rvi_fleet_agents{state="fresh|stale"}}) and checks for
 * agents going stale every {@code period}, so that each transition is logged when it happens.
 */
public final class FleetMonitor {
    private final Vertx vertx;
    private final Fleet fleet;
    private final Duration period;
    private long timer = -1;

    public FleetMonitor(Vertx vertx, Fleet fleet, MeterRegistry registry, Duration period) {
        this.vertx = vertx;
        this.fleet = fleet;
        this.period = period;
        Gauge.builder("rvi.fleet.agents", fleet, f -> f.count(false)).tag("state", "fresh")
                .description("Agents known to the coordinator, by whether their heartbeats are current").register(registry);
        Gauge.builder("rvi.fleet.agents", fleet, f -> f.count(true)).tag("state", "stale")
                .description("Agents known to the coordinator, by whether their heartbeats are current").register(registry);
    }

    public void start() {
        timer = vertx.setPeriodic(period.toMillis(), id -> fleet.sweep());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
