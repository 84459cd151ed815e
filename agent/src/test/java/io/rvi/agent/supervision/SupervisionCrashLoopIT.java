package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service that exits at once stops being restarted after N restarts; reset and reload take it out. */
class SupervisionCrashLoopIT extends SupervisionITBase {
    @Test
    void crashLoopStopsRestartsAndResetStartsAgain() throws Exception {
        // a wrapper that fails until a marker file exists, then runs redis-server
        Path dir = rig.dir("wrapper");
        Path marker = dir.resolve("fixed");
        Path wrapper = dir.resolve("redis-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\n[ -f '" + marker + "' ] || { echo 'not fixed yet' >&2; exit 3; }\n"
                + "exec /usr/bin/redis-server \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service svc = Fixtures.withBinary(Fixtures.redis("cache", "127.0.0.1", port, dir, "--save", ""), wrapper);
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(3));
        agent.start(svc);

        ServiceState looped = agent.awaitState("cache", "crash loop", s -> "crash_loop".equals(s.process()), Duration.ofSeconds(15));
        assertEquals(3, looped.restarts());
        assertEquals(3.0, agent.metric("rvi_process_restarts_total", "cache"), agent.scrape());
        assertEquals(4.0, agent.metric("rvi_process_exits_total", "cache"), agent.scrape());
        assertEquals(1.0, agent.metric("rvi_process_crash_loop", "cache"));
        assertEquals(0.0, agent.metric("rvi_process_up", "cache"));
        RecordingEvents.Event ev = agent.events.of("crash_loop", "cache").get(0);
        assertEquals("critical", ev.severity());
        assertEquals(4, ev.data().get("exits"));
        assertEquals(3, ((Map<?, ?>) agent.events.of("process_exited", "cache").get(0).data()).get("exit_code"));
        assertTrue(looped.detail().contains("exited with code 3"), looped.detail());
        Thread.sleep(500);
        assertEquals(4.0, agent.metric("rvi_process_exits_total", "cache"), "no more restarts while crash-looping");
        assertTrue(Files.readString(rig.agent.logDir().resolve("cache.log")).contains("not fixed yet"));

        Files.writeString(marker, "");
        SupervisionRig.await(agent.supervision.resetCrashLoop("cache"));
        agent.awaitRunningHealthy("cache", Duration.ofSeconds(10));
        assertEquals(0.0, agent.metric("rvi_process_crash_loop", "cache"));
        assertEquals(1, agent.events.of("crash_loop_reset", "cache").size());
    }

    @Test
    void invalidDirectiveCrashLoopsAndAFixedConfigOnReloadRunsIt() {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service bad = Fixtures.redis("redis", "127.0.0.1", port, rig.dir("r"), "--no-such-directive", "yes");
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(2));
        agent.start(bad);
        agent.awaitState("redis", "crash loop", s -> "crash_loop".equals(s.process()), Duration.ofSeconds(15));
        assertEquals(2.0, agent.metric("rvi_process_restarts_total", "redis"));

        AgentConfig.Service good = Fixtures.withArgs(bad, "--save", "");
        SupervisionRig.await(agent.supervision.reload(Fixtures.policy(2), Map.of("redis", rig.track(good))));
        agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals(0.0, agent.metric("rvi_process_crash_loop", "redis"));
    }

    @Test
    void missingBinaryIsFailedThenCrashLoop() {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service svc = Fixtures.withBinary(Fixtures.redis("ghost", "127.0.0.1", port, null), Path.of("/nonexistent/redis-server"));
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(1));
        agent.start(svc);
        ServiceState s = agent.service("ghost");
        assertTrue("failed".equals(s.process()) || "crash_loop".equals(s.process()), s.toString());
        assertTrue(s.detail().contains("/nonexistent/redis-server"), s.detail());
        agent.awaitState("ghost", "crash loop", st -> "crash_loop".equals(st.process()), Duration.ofSeconds(10));
        assertTrue(agent.events.of("process_start_failed", "ghost").size() >= 2, agent.events.toString());
        Await.until("start action failures counted", Duration.ofSeconds(2),
                () -> agent.scrape().contains("rvi_action_total{action=\"start\",outcome=\"failure\"} 1.0"));
    }
}
