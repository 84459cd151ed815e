package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.haproxy.HaproxyClient;
import io.rvi.agent.haproxy.HaproxyRuntimeApi;
import io.rvi.agent.haproxy.HaproxyServer;
import io.rvi.agent.haproxy.RuntimeApiTarget;
import io.rvi.agent.sentinel.SwitchMaster;
import io.rvi.common.config.HostPort;
import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.HaproxyProcess;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.rvi.testkit.RespClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SwitchMaster -> HAProxy routing through the runtime API, and the periodic re-assertion, with real haproxy and redis. */
class FailoverRoutingIT {
    private RedisHarness redis;
    private HaproxyProcess haproxy;
    private FailoverRig rig;
    private HaproxyClient check;
    private RedisProcess r1;
    private RedisProcess r2;
    private RedisProcess r3;
    private int frontend;

    static HostPort hp(RedisProcess p) {
        return new HostPort(p.host(), p.port());
    }

    @BeforeEach
    void start() throws Exception {
        HaproxyProcess.assumeAvailable();
        redis = new RedisHarness();
        r1 = redis.redis("127.0.0.1");
        r2 = redis.redis("127.0.0.2");
        r3 = redis.redis("127.0.0.3");
        frontend = FreePorts.free();
        haproxy = HaproxyProcess.start(redis.newDir("haproxy"), HaproxyProcess.globalAndDefaults() + """
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend redis_write
                backend redis_write
                    server r1 %s check inter 1s
                    server r2 %s check inter 1s
                    server r3 %s check inter 1s
                """.formatted(frontend, r1.address(), r2.address(), r3.address()));
        AgentConfig.Haproxy hx = new AgentConfig.Haproxy(haproxy.socket().toString(), "redis_write", null,
                Map.of(hp(r1), "r1", hp(r2), "r2", hp(r3), "r3"), Duration.ofSeconds(1));
        rig = new FailoverRig();
        rig.quorum.set(Optional.of(hp(r1)));
        rig.start(FailoverRig.config(hp(r1), hx, AgentConfig.Hooks.NONE, List.of()));
        check = new HaproxyClient(new HaproxyRuntimeApi(rig.vertx, rig.worker, RuntimeApiTarget.parse(haproxy.socket().toString()),
                Duration.ofSeconds(1)), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    Map<String, HaproxyServer> state() throws Exception {
        return FailoverRig.await(check.showServersState("redis_write")).stream()
                .collect(java.util.stream.Collectors.toMap(HaproxyServer::server, s -> s));
    }

    @Test
    void quorumViewIsAssertedWithoutAnyEvent() throws Exception {
        Await.until("r2, r3 in maint, r1 ready", Duration.ofSeconds(5), () -> {
            try {
                Map<String, HaproxyServer> s = state();
                return !s.get("r1").maint() && s.get("r2").maint() && s.get("r3").maint();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // drift (an operator, another tool): put back within a period
        FailoverRig.await(check.setState("redis_write", "r3", io.rvi.agent.haproxy.HaproxyCommands.AdminState.READY));
        Await.until("r3 back in maint", Duration.ofSeconds(3), () -> {
            try {
                return state().get("r3").maint();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void switchMasterRoutesWritesAtOnceAndOnlyOnce() throws Exception {
        List<String> switched = new CopyOnWriteArrayList<>();
        rig.failover.onRoutingSwitched((id, at) -> switched.add(id + "@" + at));
        rig.quorum.set(Optional.of(hp(r2)));
        long now = System.currentTimeMillis();
        SwitchMaster sm = new SwitchMaster("f-1", "mymaster", hp(r1), hp(r2), now, null);
        rig.vertx.eventBus().publish(SwitchMaster.ADDRESS, sm.toJson());
        rig.vertx.eventBus().publish(SwitchMaster.ADDRESS, sm.toJson()); // a duplicate
        Await.until("routing switched", Duration.ofSeconds(5), () -> !switched.isEmpty());
        Map<String, HaproxyServer> s = state();
        assertFalse(s.get("r2").maint());
        assertTrue(s.get("r2").up());
        assertTrue(s.get("r1").maint(), "the old master gets no write");
        assertTrue(s.get("r3").maint());
        long at = Long.parseLong(switched.get(0).substring(switched.get(0).indexOf('@') + 1));
        assertTrue(at - now < 1000, "routing took " + (at - now) + " ms");
        assertEquals(1L, rig.registry.find("rvi.redis.routing.switch").timer().count());
        try (RespClient c = new RespClient("127.0.0.1", frontend)) {
            assertEquals("OK", c.call("SET", "written", "through-haproxy"));
        }
        try (RespClient c = r2.client()) {
            assertEquals("through-haproxy", c.call("GET", "written"));
        }
        Thread.sleep(500);
        assertEquals(1, switched.size(), "one routing switch per failover id: " + switched);
        // r1 (this host, a master the quorum no longer names, just started) is fenced too
        Await.until("r1 fenced", Duration.ofSeconds(5), () -> {
            try (RespClient c = r1.client()) {
                return String.valueOf(c.call("INFO", "replication")).contains("role:slave");
            }
        });
    }
}
