package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RespClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** kill -9 of the agent's JVM leaves the redis it spawned running; the next agent run adopts it. */
class SupervisionJvmKillIT extends SupervisionITBase {
    private Process child;

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void spawnedRedisSurvivesTheAgentJvmsSigkillAndIsAdopted() throws Exception {
        int port = FreePorts.free("127.0.0.1");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        child = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                SupervisionChildAgent.class.getName(), rig.root.toString(), "127.0.0.1", Integer.toString(port)))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    seen.append(line).append('\n');
                    if (line.startsWith("READY ")) {
                        return line;
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        assertNotNull(ready, "child agent output:\n" + seen);
        long redisPid = Long.parseLong(ready.substring(6).trim());
        rig.trackPid(redisPid);
        assertTrue(ProcessHandle.of(redisPid).flatMap(h -> h.parent()).map(p -> p.pid() == child.pid()).orElse(false),
                "redis is the child agent's child");

        child.destroyForcibly(); // SIGKILL of the agent JVM
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertTrue(Procs.alive(redisPid), "redis survives the agent's SIGKILL");
        try (RespClient c = new RespClient("127.0.0.1", port)) {
            assertEquals("PONG", c.ping());
        }

        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", port, rig.root.resolve("redis"), "--save", "");
        SupervisionRig.Instance next = rig.instance(Fixtures.policy(5));
        next.start(redis);
        ServiceState s = next.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals(redisPid, s.pid(), "adopted, same PID: " + s);
        assertEquals(1, Procs.redisServersOn("127.0.0.1", port));
        assertEquals(1, next.events.of("process_adopted").size());
    }
}
