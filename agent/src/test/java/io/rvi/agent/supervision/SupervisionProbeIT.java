package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.RedisProcess;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health probes: AUTH, wrong password, a process that runs but does not answer, observed-only services. */
class SupervisionProbeIT extends SupervisionITBase {
    private static final String PASSWORD = "pr0be-s3cret-value";
    @Test
    void probeAuthenticatesAndThePasswordIsNeverShown() throws Exception {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service redis = Fixtures.withPassword(
                Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "", "--requirepass", PASSWORD), PASSWORD);
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(redis);
        ServiceState s = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals("master", s.role());
        assertFalse(agent.events.toString().contains(PASSWORD), "no password in events");
        assertFalse(agent.state.current().toString().contains(PASSWORD), "no password in the state");
        assertFalse(Files.readString(rig.agent.stateDir().resolve("run/redis.pid")).contains(PASSWORD), "no password in the pidfile");
    }

    @Test
    void wrongPasswordIsUnhealthyNotRestarted() {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service redis = Fixtures.withPassword(
                Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "", "--requirepass", PASSWORD), "wrong");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(redis);
        ServiceState s = agent.awaitState("redis", "unhealthy", st -> "unhealthy".equals(st.health()), Duration.ofSeconds(5));
        assertEquals("running", s.process());
        String error = String.valueOf(agent.events.of("service_unhealthy", "redis").get(0).data().get("error"));
        assertTrue(error.startsWith("AUTH refused: WRONGPASS"), error);
        assertEquals(0, s.restarts());
    }

    @Test
    void runningButNotAnsweringIsUnhealthyAndKeepsItsPid() throws Exception {
        int port = FreePorts.free("127.0.0.1");
        // with a password: connections re-made after probe timeouts must authenticate again
        AgentConfig.Service redis = Fixtures.withPassword(
                Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "", "--requirepass", PASSWORD), PASSWORD);
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(redis);
        long pid = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10)).pid();
        signal("STOP", pid);
        try {
            ServiceState s = agent.awaitState("redis", "unhealthy while stopped", st -> "unhealthy".equals(st.health()),
                    Duration.ofSeconds(5));
            assertEquals("running", s.process());
            assertEquals(pid, s.pid());
            assertEquals(0.0, agent.metric("rvi_service_healthy", "redis"));
            assertEquals(1.0, agent.metric("rvi_process_up", "redis"));
            Thread.sleep(500);
            assertEquals(pid, agent.service("redis").pid(), "not restarted for failed probes");
            assertEquals(0, agent.service("redis").restarts());
        } finally {
            signal("CONT", pid);
        }
        agent.awaitRunningHealthy("redis", Duration.ofSeconds(5));
        assertEquals(pid, agent.service("redis").pid());
        assertEquals(2, agent.events.of("service_healthy", "redis").size(), agent.events.toString());
    }

    @Test
    void observedOnlyServiceReportsHealthAndRole() {
        RedisProcess master = rig.harness().redis("127.0.0.1");
        RedisProcess replica = rig.harness().redis("127.0.0.1", "--replicaof", "127.0.0.1", String.valueOf(master.port()));
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(Fixtures.observed("replica", "127.0.0.1", replica.port()));
        ServiceState s = agent.awaitState("replica", "healthy replica", st -> "healthy".equals(st.health()) && "slave".equals(st.role()),
                Duration.ofSeconds(5));
        assertEquals("unknown", s.process());
        assertEquals("none", s.mode());
        Throwable refused = agent.supervision.restart("replica").toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
        assertTrue(refused != null && refused.getMessage().contains("observed only"), String.valueOf(refused));
        replica.kill9();
        agent.awaitState("replica", "unhealthy", st -> "unhealthy".equals(st.health()) && st.role() == null, Duration.ofSeconds(5));
    }

    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, p.waitFor());
    }
}
