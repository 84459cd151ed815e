package io.rvi.agent.failover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failover meters: {@code rvi_redis_split_brain} (0/1), {@code rvi_redis_fenced_total},
 * {@code rvi_redis_routing_switch_seconds} (from +switch-master's arrival to the routing pushed),
 * {@code rvi_failover_faults_total{fault}}. ({@code rvi_haproxy_commands_total} is the HAProxy client's.)
 */
public final class FailoverMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger splitBrain = new AtomicInteger();
    private final Counter fenced;
    private final Timer routingSwitch;

    public FailoverMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("rvi.redis.split.brain", splitBrain, AtomicInteger::get)
                .description("1 while two Redis nodes claim master (this one against the Sentinel quorum, or Sentinels disagree)")
                .register(registry);
        this.fenced = Counter.builder("rvi.redis.fenced").description("Times the local Redis was fenced (made a replica of the quorum's master)")
                .register(registry);
        this.routingSwitch = Timer.builder("rvi.redis.routing.switch").description("From +switch-master received to HAProxy routing pushed")
                .register(registry);
    }

    public void splitBrain(boolean on) {
        splitBrain.set(on ? 1 : 0);
    }

    public void fenced() {
        fenced.increment();
    }

    public void routingSwitched(long millis) {
        routingSwitch.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public void fault(String fault) {
        Counter.builder("rvi.failover.faults").description("Faults met by failover handling, by kind").tag("fault", fault)
                .register(registry).increment();
    }
}
