package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Await;
import io.rvi.testkit.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mode systemd against a fake {@code systemctl} (no systemd PID 1 here): {@code show} prints the file
 * {@code state}; {@code restart} logs the call to {@code calls} and copies {@code on-restart} to {@code state}.
 */
class SupervisionSystemdIT extends SupervisionITBase {
    private Path dir;
    private Path systemctl;

    @BeforeEach
    void setUp() throws IOException {
        dir = rig.dir("systemd");
        systemctl = dir.resolve("systemctl");
        Files.writeString(systemctl, """
                #!/bin/sh
                d=$(dirname "$0")
                case "$1" in
                  show) [ -f "$d/show-fails" ] && { echo "Failed to connect to bus" >&2; exit 1; }
                        cat "$d/state" ;;
                  restart) echo "restart $2" >> "$d/calls"; [ -f "$d/on-restart" ] && cp "$d/on-restart" "$d/state"; exit 0 ;;
                  *) echo "unexpected: $*" >&2; exit 2 ;;
                esac
                """);
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void failedUnitIsRestartedAndMapped() throws Exception {
        RedisProcess redis = rig.harness().redis("127.0.0.1");
        state("failed", "failed", 0, 0, "exit-code");
        Files.writeString(dir.resolve("on-restart"), show("active", "running", redis.pid(), 0, "success"));
        AgentConfig.Service svc = Fixtures.systemd("redis", "127.0.0.1", redis.port(), "redis-server.service");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5, systemctl, false));
        agent.start(svc);

        ServiceState s = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals(redis.pid(), s.pid());
        assertEquals("systemd", s.mode());
        assertEquals("master", s.role());
        assertEquals(List.of("restart redis-server.service"), calls());
        assertEquals(1, s.restarts());
        assertEquals(1.0, agent.metric("rvi_process_restarts_total", "redis"));
        assertTrue(agent.metric("rvi_process_start_time_seconds", "redis") > 1e9, agent.scrape());
        Await.until("restart action recorded", Duration.ofSeconds(2),
                () -> agent.scrape().contains("rvi_action_total{action=\"restart\",outcome=\"success\"} 1.0"));

        // someone stops the unit: inactive is restarted too
        state("inactive", "dead", 0, 0, "success");
        Await.until("second restart", Duration.ofSeconds(5), () -> calls().size() == 2, () -> agent.service("redis").toString());
        agent.awaitRunningHealthy("redis", Duration.ofSeconds(5));
        assertEquals(1.0, agent.metric("rvi_process_exits_total", "redis"), agent.scrape());
        assertEquals(1, agent.events.of("process_exited", "redis").size(), agent.events.toString());

        // systemd restarting the unit by itself is counted as an exit, not restarted by us
        state("active", "running", redis.pid(), 3, "success");
        Await.until("NRestarts counted", Duration.ofSeconds(5), () -> agent.metric("rvi_process_exits_total", "redis") == 4.0,
                agent::scrape);
        assertEquals(2, calls().size());
    }

    @Test
    void unitThatStaysFailedCrashLoopsAndLeavesItWhenActiveAgain() throws Exception {
        RedisProcess redis = rig.harness().redis("127.0.0.1");
        state("failed", "failed", 0, 0, "exit-code");
        AgentConfig.Service svc = Fixtures.systemd("redis", "127.0.0.1", redis.port(), "redis-server.service");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(2, systemctl, false));
        agent.start(svc);
        ServiceState looped = agent.awaitState("redis", "crash loop", s -> "crash_loop".equals(s.process()), Duration.ofSeconds(10));
        assertTrue(looped.detail().contains("failed/failed (result exit-code)"), looped.detail());
        assertEquals(2, calls().size());
        assertEquals(1.0, agent.metric("rvi_process_crash_loop", "redis"));
        assertEquals("critical", agent.events.of("crash_loop", "redis").get(0).severity());
        Thread.sleep(400);
        assertEquals(2, calls().size(), "no restarts while crash-looping");

        state("active", "running", redis.pid(), 0, "success"); // an operator fixed and started it
        agent.awaitRunningHealthy("redis", Duration.ofSeconds(5));
        assertEquals(0.0, agent.metric("rvi_process_crash_loop", "redis"));
    }

    @Test
    void systemctlFailureIsUnknownAndRecovers() throws Exception {
        RedisProcess redis = rig.harness().redis("127.0.0.1");
        Files.writeString(dir.resolve("show-fails"), "");
        state("active", "running", redis.pid(), 0, "success");
        AgentConfig.Service svc = Fixtures.systemd("redis", "127.0.0.1", redis.port(), "redis-server.service");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(2, systemctl, false));
        agent.start(svc);
        ServiceState s = agent.service("redis");
        assertEquals("unknown", s.process());
        assertTrue(s.detail().contains("Failed to connect to bus"), s.detail());
        Files.delete(dir.resolve("show-fails"));
        agent.awaitRunningHealthy("redis", Duration.ofSeconds(5));
        assertTrue(calls().isEmpty());
    }

    private void state(String active, String sub, long pid, int restarts, String result) throws IOException {
        Path tmp = dir.resolve("state.tmp");
        Files.writeString(tmp, show(active, sub, pid, restarts, result));
        Files.move(tmp, dir.resolve("state"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String show(String active, String sub, long pid, int restarts, String result) {
        return "ActiveState=" + active + "\nSubState=" + sub + "\nMainPID=" + pid + "\nNRestarts=" + restarts + "\nResult=" + result + "\n";
    }

    private List<String> calls() {
        Path f = dir.resolve("calls");
        try {
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
