package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RespClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reload restarts only what changed in its process settings; adds and removes services. */
class SupervisionReloadIT extends SupervisionITBase {
    @Test
    void probeChangesKeepThePidArgumentChangesRestart() throws Exception {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(redis);
        long pid = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10)).pid();

        AgentConfig.Service slower = Fixtures.withProbeInterval(redis, Duration.ofMillis(300));
        SupervisionRig.await(agent.supervision.reload(Fixtures.policy(7), Map.of("redis", slower)));
        Thread.sleep(700);
        assertEquals(pid, agent.service("redis").pid(), "same PID after a probe-only change");
        assertEquals("healthy", agent.service("redis").health());
        assertEquals(1, agent.events.of("process_started").size(), agent.events.toString());
        assertTrue(Procs.alive(pid));

        AgentConfig.Service bigger = Fixtures.withArgs(slower, "--save", "", "--maxmemory", "10mb");
        SupervisionRig.await(agent.supervision.reload(Fixtures.policy(7), Map.of("redis", bigger)));
        long pid2 = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10)).pid();
        assertNotEquals(pid, pid2);
        assertFalse(Procs.alive(pid), "the old process was stopped");
        try (RespClient c = new RespClient("127.0.0.1", port)) {
            assertEquals(List.of("maxmemory", "10485760"), c.call("CONFIG", "GET", "maxmemory"));
        }
        assertEquals(1, Procs.redisServersOn("127.0.0.1", port));
        assertEquals(0.0, agent.metric("rvi_process_exits_total", "redis"), "a stop on purpose is not an exit");
    }

    @Test
    void addedServicesStartRemovedOnesStopAndLeaveState() {
        int p1 = FreePorts.free("127.0.0.1");
        int p2 = FreePorts.free("127.0.0.1");
        AgentConfig.Service a = rig.track(Fixtures.redis("a", "127.0.0.1", p1, rig.dir("a"), "--save", ""));
        AgentConfig.Service b = rig.track(Fixtures.redis("b", "127.0.0.1", p2, rig.dir("b"), "--save", ""));
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(a);
        long pidA = agent.awaitRunningHealthy("a", Duration.ofSeconds(10)).pid();

        Map<String, AgentConfig.Service> both = new LinkedHashMap<>();
        both.put("a", a);
        both.put("b", b);
        SupervisionRig.await(agent.supervision.reload(Fixtures.policy(5), both));
        long pidB = agent.awaitRunningHealthy("b", Duration.ofSeconds(10)).pid();
        assertEquals(pidA, agent.service("a").pid());

        SupervisionRig.await(agent.supervision.reload(Fixtures.policy(5), Map.of("b", b)));
        assertNull(agent.service("a"), "removed from the state");
        assertFalse(Procs.alive(pidA), "a removed service the agent spawned is stopped");
        assertTrue(Double.isNaN(agent.metric("rvi_process_up", "a")), "its meters are gone");
        assertEquals(pidB, agent.service("b").pid());
        assertEquals(1.0, agent.metric("rvi_process_up", "b"));
    }
}
