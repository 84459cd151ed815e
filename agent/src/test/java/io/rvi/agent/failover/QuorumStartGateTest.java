package io.rvi.agent.failover;

import io.rvi.testkit.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.supervision.StartPlan;
import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which services the quorum start gate applies to, and how it reads the oracle (no Vert.x needed). */
class QuorumStartGateTest {
    private static final HostPort SELF = new HostPort("127.0.0.1", 6379);
    private static final HostPort OTHER = new HostPort("127.0.0.2", 6379);
    private final FakeClock clock = new FakeClock();
    private final AgentConfig.Failover failover = new AgentConfig.Failover("mymaster", List.of(new HostPort("127.0.0.1", 26379)),
            true, 1024, Duration.ofSeconds(1));
    private final AtomicInteger asked = new AtomicInteger();

    private static AgentConfig.Service service(String name, AgentConfig.Kind kind, HostPort address) {
        return new AgentConfig.Service(name, kind, address, null, AgentConfig.Mode.SPAWN, Path.of("/usr/bin/redis-server"), List.of(),
                null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), 3);
    }

    private MasterOracle naming(HostPort master) {
        return () -> {
            asked.incrementAndGet();
            return Future.succeededFuture(Optional.ofNullable(master));
        };
    }

    private static StartPlan now(Future<StartPlan> f) {
        assertTrue(f.succeeded(), String.valueOf(f.cause()));
        return f.result();
    }

    @Test
    void theRestartHoldDefaultsToSixtySecondsForOldConstructorCallers() {
        assertEquals(Duration.ofSeconds(60), failover.restartHold());
    }

    @Test
    void onlyTheFailoverManagedRedisIsGated() {
        QuorumStartGate gate = new QuorumStartGate(naming(SELF), SELF, failover, clock);
        assertEquals(StartPlan.proceed(), now(gate.beforeStart(service("sentinel", AgentConfig.Kind.SENTINEL, SELF), true)));
        assertEquals(StartPlan.proceed(), now(gate.beforeStart(service("cache", AgentConfig.Kind.REDIS, new HostPort("127.0.0.1", 6380)),
                true)));
        assertEquals(0, asked.get(), "the oracle is not asked for other services");
        assertTrue(now(gate.beforeStart(service("redis", AgentConfig.Kind.REDIS, new HostPort("localhost", 6379)), true)).hold());
        assertEquals(1, asked.get());
    }

    @Test
    void aQuorumNamingAnotherNodeStartsAReplica() {
        QuorumStartGate gate = new QuorumStartGate(naming(OTHER), SELF, failover, clock);
        StartPlan p = now(gate.beforeStart(service("redis", AgentConfig.Kind.REDIS, SELF), false));
        assertEquals(List.of("--replicaof", "127.0.0.2", "6379"), p.extraArgs());
    }

    @Test
    void anOracleThatFailsOrThrowsCountsAsNoQuorum() {
        AgentConfig.Service redis = service("redis", AgentConfig.Kind.REDIS, SELF);
        QuorumStartGate failing = new QuorumStartGate(() -> Future.failedFuture("sentinels unreachable"), SELF, failover, clock);
        assertTrue(now(failing.beforeStart(redis, true)).hold());
        assertFalse(now(failing.beforeStart(redis, false)).hold());
        QuorumStartGate throwing = new QuorumStartGate(() -> {
            throw new IllegalStateException("boom");
        }, SELF, failover, clock);
        assertTrue(now(throwing.beforeStart(redis, true)).hold());
    }

    @Test
    void theHoldExpiresWithTheConfiguredRestartHold() {
        AgentConfig.Failover short5 = new AgentConfig.Failover("mymaster", List.of(), true, 1024, Duration.ofSeconds(1), Duration.ofSeconds(5));
        QuorumStartGate gate = new QuorumStartGate(naming(SELF), SELF, short5, clock);
        AgentConfig.Service redis = service("redis", AgentConfig.Kind.REDIS, SELF);
        assertTrue(now(gate.beforeStart(redis, true)).hold());
        clock.advance(Duration.ofSeconds(5));
        StartPlan p = now(gate.beforeStart(redis, true));
        assertFalse(p.hold());
        assertEquals(List.of(), p.extraArgs());
    }

    @Test
    void forConfigPicksTheRedisServiceLikeTheFailoverHandling() {
        Map<String, AgentConfig.Service> services = new LinkedHashMap<>();
        services.put("sentinel", service("sentinel", AgentConfig.Kind.SENTINEL, new HostPort("127.0.0.1", 26379)));
        services.put("cache", service("cache", AgentConfig.Kind.REDIS, new HostPort("127.0.0.1", 6380)));
        services.put("redis", service("redis", AgentConfig.Kind.REDIS, SELF));
        AgentConfig config = new AgentConfig(null, null, null, null, null, null, null, services, failover, null, null);
        QuorumStartGate gate = QuorumStartGate.forConfig(config, naming(SELF), clock);
        assertTrue(now(gate.beforeStart(services.get("redis"), true)).hold());
        assertFalse(now(gate.beforeStart(services.get("cache"), true)).hold());

        AgentConfig without = new AgentConfig(null, null, null, null, null, null, null, services, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> QuorumStartGate.forConfig(without, naming(SELF), clock));
    }
}
