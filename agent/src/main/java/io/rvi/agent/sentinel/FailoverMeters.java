package io.rvi.agent.sentinel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The failover meters, by master name: {@code rvi_redis_failovers_total}, {@code rvi_redis_failover_duration_seconds}
 * (first +odown or +try-failover to first +switch-master) and {@code rvi_redis_failover_routing_seconds} (first
 * +switch-master to routing switched), both histograms with fixed buckets.
 */
final class FailoverMeters {
    private final MeterRegistry registry;

    FailoverMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    Counter failovers(String master) {
        return Counter.builder("rvi.redis.failovers").description("Failovers (+switch-master, duplicates from several Sentinels folded)")
                .tag("master_name", master).register(registry);
    }

    void duration(String master, long nanos) {
        Timer.builder("rvi.redis.failover.duration").description("From the first +odown or +try-failover to the first +switch-master")
                .tag("master_name", master).serviceLevelObjectives(buckets(0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300))
                .register(registry).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    void routing(String master, long millis) {
        Timer.builder("rvi.redis.failover.routing").description("From the first +switch-master to routing switched to the new master")
                .tag("master_name", master).serviceLevelObjectives(buckets(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
                .register(registry).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    private static Duration[] buckets(double... seconds) {
        Duration[] d = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            d[i] = Duration.ofMillis((long) (seconds[i] * 1000));
        }
        return d;
    }
}
