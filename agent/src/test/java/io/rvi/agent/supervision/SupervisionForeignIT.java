package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RedisProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A redis the agent did not start is left alone (foreign), probed, and replaced only once it is gone. */
class SupervisionForeignIT extends SupervisionITBase {
    @Test
    void foreignRedisIsNotDuplicatedAndIsTakenOverWhenItStops() {
        RedisProcess other = rig.harness().redis("127.0.0.1");
        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", other.port(), rig.dir("redis"), "--save", "");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(redis);

        ServiceState s = agent.service("redis");
        assertEquals("foreign", s.process(), s.toString());
        assertEquals(0, s.pid());
        RecordingEvents.Event ev = agent.events.of("foreign_process", "redis").get(0);
        assertEquals("warning", ev.severity());
        assertTrue(agent.events.of("process_started").isEmpty());
        assertEquals(1, Procs.redisServersOn("127.0.0.1", other.port()), "no duplicate");
        assertTrue(other.isAlive());
        assertTrue(Files.notExists(rig.agent.stateDir().resolve("run/redis.pid")));
        agent.awaitState("redis", "foreign and healthy (probed)", st -> "healthy".equals(st.health()) && "master".equals(st.role()),
                Duration.ofSeconds(5));
        assertEquals(1.0, agent.metric("rvi_process_up", "redis"));
        Throwable refused = agent.supervision.restart("redis").toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
        assertTrue(refused != null && refused.getMessage().contains("foreign"), String.valueOf(refused));
        assertTrue(other.isAlive(), "a foreign process is never restarted");

        other.kill9();
        ServiceState ours = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertTrue(ours.pid() != other.pid());
        assertEquals(1, agent.events.of("process_started").size());
        assertEquals(1, Procs.redisServersOn("127.0.0.1", other.port()));
    }

    @Test
    void somethingElseOnThePortIsForeignToo() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                while (!http.isClosed()) {
                    try (Socket s = http.accept()) {
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "fake-http");
            t.setDaemon(true);
            t.start();
            AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", http.getLocalPort(), rig.dir("redis"), "--save", "");
            SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
            agent.start(redis);
            assertEquals("foreign", agent.service("redis").process(), agent.service("redis").toString());
            assertTrue(agent.events.of("process_started").isEmpty());
            ServiceState s = agent.awaitState("redis", "unhealthy", st -> "unhealthy".equals(st.health()), Duration.ofSeconds(5));
            assertEquals("foreign", s.process(), "still foreign: the port is in use");
            assertTrue(agent.events.of("service_unhealthy", "redis").get(0).message().contains("not a Redis reply"),
                    agent.events.toString());
        }
    }
}
