package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A second agent run adopts the redis and sentinel the first one spawned: same PIDs, no duplicates. */
class SupervisionAdoptionIT extends SupervisionITBase {
    @Test
    void secondRunAdoptsRedisAndSentinel() throws Exception {
        int redisPort = FreePorts.free("127.0.0.1");
        int sentinelPort = FreePorts.free("127.0.0.1");
        Path sdir = rig.dir("sentinel");
        Path conf = sdir.resolve("sentinel.conf");
        Files.write(conf, List.of("sentinel monitor mymaster 127.0.0.1 " + redisPort + " 1",
                "sentinel down-after-milliseconds mymaster 1000"));
        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", redisPort, rig.dir("redis"), "--save", "");
        AgentConfig.Service sentinel = Fixtures.sentinel("sentinel", "127.0.0.1", sentinelPort, sdir, conf);

        SupervisionRig.Instance first = rig.instance(Fixtures.policy(5));
        first.start(redis, sentinel);
        long redisPid = first.awaitRunningHealthy("redis", Duration.ofSeconds(10)).pid();
        ServiceState s1 = first.awaitRunningHealthy("sentinel", Duration.ofSeconds(10));
        assertEquals("sentinel", first.awaitState("sentinel", "role", s -> s.role() != null, Duration.ofSeconds(5)).role());
        long sentinelPid = s1.pid();
        SupervisionRig.await(first.supervision.shutdown()); // the agent stops; stop_services_on_exit is false
        assertTrue(Procs.alive(redisPid) && Procs.alive(sentinelPid), "services outlive the agent");

        SupervisionRig.Instance second = rig.instance(Fixtures.policy(5));
        second.start(redis, sentinel);
        ServiceState r2 = second.service("redis");
        assertEquals("running", r2.process(), r2.toString());
        assertEquals(redisPid, r2.pid());
        assertTrue(r2.detail().startsWith("adopted"), r2.detail());
        assertEquals(sentinelPid, second.service("sentinel").pid());
        assertEquals(2, second.events.of("process_adopted").size(), second.events.toString());
        assertTrue(second.events.of("process_started").isEmpty(), second.events.toString());
        second.awaitRunningHealthy("redis", Duration.ofSeconds(5));
        second.awaitRunningHealthy("sentinel", Duration.ofSeconds(5));
        assertEquals(1, Procs.redisServersOn("127.0.0.1", redisPort), "exactly one redis-server on the port");
        assertEquals(1, Procs.matching("127.0.0.1:" + sentinelPort).size(), "exactly one sentinel on the port");
        assertTrue(second.metric("rvi_process_start_time_seconds", "redis") > 1e9);

        // the adopted process is not our child: its death is still noticed, and it is restarted
        Procs.kill9(redisPid);
        ServiceState restarted = second.awaitState("redis", "restarted after the adopted process died",
                s -> s.pid() > 0 && s.pid() != redisPid && "running".equals(s.process()) && "healthy".equals(s.health()),
                Duration.ofSeconds(10));
        assertEquals(1, restarted.restarts());
        assertEquals(1.0, second.metric("rvi_process_exits_total", "redis"));
        assertEquals(sentinelPid, second.service("sentinel").pid(), "the sentinel is untouched");
    }

    @Test
    void stalePidfileWithAReusedPidIsNotAdopted() throws Exception {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "");
        // a pidfile naming a live process that is not redis (this JVM), with another start time
        Files.createDirectories(SpawnCommand.runDir(rig.agent));
        new PidFiles(SpawnCommand.runDir(rig.agent)).write("redis", new PidRecord(ProcessHandle.current().pid(), 1000L,
                "/usr/bin/redis-server", "/usr/bin/redis-check-rdb", "127.0.0.1:" + port, PidRecord.hashArgs(redis.args())));
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.start(redis);
        ServiceState s = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertTrue(s.pid() != ProcessHandle.current().pid());
        assertEquals(1, agent.events.of("process_started").size());
    }

    @Test
    void changedArgumentsWhileTheAgentWasDownReplaceTheProcess() {
        int port = FreePorts.free("127.0.0.1");
        AgentConfig.Service redis = Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "");
        SupervisionRig.Instance first = rig.instance(Fixtures.policy(5));
        first.start(redis);
        long pid = first.awaitRunningHealthy("redis", Duration.ofSeconds(10)).pid();
        SupervisionRig.await(first.supervision.shutdown());

        SupervisionRig.Instance second = rig.instance(Fixtures.policy(5));
        second.start(Fixtures.withArgs(redis, "--save", "", "--maxmemory", "10mb"));
        ServiceState s = second.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertTrue(s.pid() != pid && !Procs.alive(pid), "old process replaced: " + s);
        assertEquals(1, Procs.redisServersOn("127.0.0.1", port));
    }
}
