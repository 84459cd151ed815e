package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Json;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A spawned redis-server killed with SIGKILL comes back, counted; manual restart; stop on exit. */
class SupervisionRestartIT extends SupervisionITBase {
    @Test
    void killedRedisIsRestartedAndHealthyAgain() throws Exception {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "", "--appendonly", "no");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(redis);

        ServiceState first = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals("master", first.role());
        assertEquals("127.0.0.1:" + port, first.address());
        assertEquals("spawn", first.mode());
        assertEquals(1.0, agent.metric("rvi_process_up", "redis"));
        assertEquals(1.0, agent.metric("rvi_service_healthy", "redis"));
        assertTrue(agent.metric("rvi_process_start_time_seconds", "redis") > 1e9, agent.scrape());
        assertEquals(1, agent.events.of("process_started", "redis").size(), agent.events.toString());
        Path pidfile = rig.agent.stateDir().resolve("run/redis.pid");
        assertEquals(first.pid(), pidIn(pidfile));

        Procs.kill9(first.pid());

        ServiceState second = agent.awaitState("redis", "restarted with a new PID and healthy",
                s -> s.pid() > 0 && s.pid() != first.pid() && "running".equals(s.process()) && "healthy".equals(s.health()),
                Duration.ofSeconds(10));
        assertEquals(1, second.restarts());
        assertEquals(1.0, agent.metric("rvi_process_restarts_total", "redis"), agent.scrape());
        assertEquals(1.0, agent.metric("rvi_process_exits_total", "redis"), agent.scrape());
        assertEquals(0.0, agent.metric("rvi_process_crash_loop", "redis"));
        RecordingEvents.Event exited = agent.events.of("process_exited", "redis").get(0);
        assertEquals(9, exited.data().get("signal"), exited.toString());
        assertEquals("warning", exited.severity());
        assertFalse(agent.events.of("service_unhealthy", "redis").isEmpty(), agent.events.toString());
        Await.until("pidfile names the new PID", Duration.ofSeconds(5),
                () -> pidIn(pidfile) == second.pid());
        assertEquals(1, Procs.redisServersOn("127.0.0.1", port));
        try (RespClient c = new RespClient("127.0.0.1", port)) {
            assertEquals("PONG", c.ping());
        }
        assertTrue(Files.readString(rig.agent.logDir().resolve("redis.log")).contains("Ready to accept connections"),
                "output captured in <logDir>/redis.log");
        assertTrue(Files.isDirectory(rig.dir("redis")));
    }

    private static long pidIn(Path pidfile) {
        try {
            return Json.read(Files.readAllBytes(pidfile), PidRecord.class).pid();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void manualRestartGoesThroughTheActionRunnerAndStopOnExitStopsTheProcess() {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", port, null, "--save", "");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5, Path.of("/usr/bin/systemctl"), true));
        agent.start(redis);
        long pid1 = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10)).pid();
        assertTrue(Files.isDirectory(rig.agent.stateDir().resolve("work/redis")), "default working dir under the state dir");

        SupervisionRig.await(agent.supervision.restart("redis"));
        ServiceState after = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertNotEquals(pid1, after.pid());
        assertFalse(Procs.alive(pid1), "old process stopped");
        assertEquals(1, after.restarts());
        assertEquals(0.0, agent.metric("rvi_process_exits_total", "redis"), "a stop on purpose is not an exit");
        assertTrue(agent.scrape().contains("rvi_action_total{action=\"restart\",outcome=\"success\"} 1.0"), agent.scrape());
        assertEquals(1, agent.events.of("process_stopped", "redis").size(), agent.events.toString());

        SupervisionRig.await(agent.supervision.shutdown());
        assertFalse(Procs.alive(after.pid()), "stop_services_on_exit: the process is stopped with the agent");
        assertFalse(Files.exists(rig.agent.stateDir().resolve("run/redis.pid")));
        assertEquals("stopped", agent.service("redis").process());
    }

    @Test
    void unknownServiceIsRefused() {
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start();
        Throwable t = agent.supervision.restart("nope").toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
        assertTrue(t != null && t.getMessage().contains("unknown service nope"), String.valueOf(t));
    }
}
