package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.failover.MasterOracle;
import io.rvi.agent.failover.QuorumStartGate;
import io.rvi.common.Clock;
import io.rvi.common.Json;
import io.rvi.common.config.HostPort;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RedisProcess;
import io.rvi.testkit.RespClient;
import io.vertx.core.Future;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The start gate with real processes: a supervised Redis under failover management never comes back as a
 * master the quorum does not name. The quorum is a fake {@link MasterOracle} naming a real Redis (or this
 * node, or nobody).
 */
class SupervisionStartGateIT extends SupervisionITBase {
    private final AtomicReference<HostPort> quorum = new AtomicReference<>();
    private final MasterOracle oracle = () -> Future.succeededFuture(Optional.ofNullable(quorum.get()));

    private static AgentConfig.Failover failover(Duration restartHold) {
        return new AgentConfig.Failover("mymaster", List.of(new HostPort("127.0.0.1", 26379)), true, 1024 * 1024,
                Duration.ofSeconds(1), restartHold);
    }

    private AgentConfig.Service redis() {
        int port = FreePorts.free("127.0.0.1");
        return Fixtures.redis("redis", "127.0.0.1", port, rig.dir("redis"), "--save", "", "--appendonly", "no");
    }

    private SupervisionRig.Instance gated(AgentConfig.Service redis, int maxRestarts, Duration restartHold) {
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(maxRestarts));
        agent.supervision.startGate(new QuorumStartGate(oracle, redis.address(), failover(restartHold), Clock.SYSTEM));
        return agent;
    }

    private static HostPort addressOf(RedisProcess p) {
        return new HostPort(p.host(), p.port());
    }

    /** ROLE answers from the port, as fast as they come, until {@code limit} after the first answer. */
    private static List<String> rolesAfterRestart(HostPort at, Duration untilAnswer, Duration afterFirst) {
        List<String> roles = new ArrayList<>();
        long deadline = System.nanoTime() + untilAnswer.toNanos();
        long stop = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, stop)) {
            try (RespClient c = new RespClient(at.host(), at.port(), 200)) {
                while (System.nanoTime() < Math.min(deadline, stop)) {
                    String role = c.role();
                    roles.add(role);
                    if (stop == Long.MAX_VALUE) {
                        stop = System.nanoTime() + afterFirst.toNanos();
                    }
                    Await.sleep(2);
                }
            } catch (UncheckedIOException e) {
                Await.sleep(2); // not listening yet (or gone)
            }
        }
        return roles;
    }

    /**
     * {@code CONFIG GET replicaof}: "host port" or "" (a master). Redis rewrites its process title, so its
     * command line cannot be read from /proc.
     */
    private static String replicaOf(HostPort at) {
        try (RespClient c = new RespClient(at.host(), at.port())) {
            Object r = c.call("CONFIG", "GET", "replicaof");
            return r instanceof List<?> l && l.size() == 2 ? String.valueOf(l.get(1)) : String.valueOf(r);
        }
    }

    private static String info(HostPort at) {
        try (RespClient c = new RespClient(at.host(), at.port())) {
            return c.info("replication");
        }
    }

    private static PidRecord pidfile(SupervisionRig rig) throws Exception {
        return Json.read(Files.readAllBytes(SpawnCommand.runDir(rig.agent).resolve("redis.pid")), PidRecord.class);
    }

    private static void assertOnlyReplicaAnswers(List<String> roles) {
        assertFalse(roles.isEmpty(), "the restarted Redis answered ROLE");
        assertTrue(roles.stream().allMatch("slave"::equals), "every ROLE answer after the restart is slave: " + roles);
    }

    @Test
    void killedRedisIsRestartedAsAReplicaOfTheQuorumsMasterNeverAsAMaster() throws Exception {
        RedisProcess master = rig.harness().redis("127.0.0.1");
        try (RespClient c = master.client()) {
            c.set("acknowledged", "write");
        }
        AgentConfig.Service redis = redis();
        quorum.set(redis.address()); // the estate starts with this node as master
        SupervisionRig.Instance agent = gated(redis, 5, Duration.ofSeconds(60));
        agent.start(redis);
        ServiceState first = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals("master", first.role(), "first start at boot, named by the quorum: a master");
        assertEquals("", replicaOf(redis.address()));

        quorum.set(addressOf(master)); // Sentinel failed over to the other node
        Procs.kill9(first.pid());
        List<String> roles = rolesAfterRestart(redis.address(), Duration.ofSeconds(10), Duration.ofMillis(500));
        assertOnlyReplicaAnswers(roles);

        ServiceState second = agent.awaitState("redis", "restarted as a replica", s -> "running".equals(s.process())
                && s.pid() > 0 && s.pid() != first.pid(), Duration.ofSeconds(10));
        assertEquals("127.0.0.1 " + master.port(), replicaOf(redis.address()), "started with --replicaof");
        assertTrue(second.detail().contains("the quorum's master is " + master.address() + ": starting as its replica"), second.detail());
        String info = info(redis.address());
        assertTrue(info.contains("role:slave"), info);
        assertTrue(info.contains("master_port:" + master.port()), info);
        Await.until("replica in sync with the quorum's master", Duration.ofSeconds(10),
                () -> info(redis.address()).contains("master_link_status:up"), () -> info(redis.address()));
        try (RespClient c = new RespClient("127.0.0.1", redis.address().port())) {
            assertEquals("write", c.get("acknowledged"), "it has the master's data, it did not wipe it");
        }
        assertEquals(PidRecord.hashArgs(redis.args()), pidfile(rig).argsHash(), "the pidfile hashes the configured arguments only");
        assertEquals(1, second.restarts());
        assertTrue(agent.events.of("start_held").isEmpty(), agent.events.toString());
        RecordingEvents.Event started = agent.events.of("process_started", "redis").get(1);
        assertTrue(String.valueOf(started.data().get("start_gate")).contains("starting as its replica"), started.toString());
    }

    @Test
    void killedMasterIsHeldDownWhileTheQuorumNamesItThenRestartedAsAReplica() throws Exception {
        RedisProcess master = rig.harness().redis("127.0.0.1");
        AgentConfig.Service redis = redis();
        quorum.set(redis.address());
        SupervisionRig.Instance agent = gated(redis, 1, Duration.ofSeconds(60)); // one restart allowed: holds must not count
        agent.start(redis);
        ServiceState first = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals("master", first.role());

        Procs.kill9(first.pid());
        ServiceState held = agent.awaitState("redis", "held", s -> s.detail().startsWith("start held:"), Duration.ofSeconds(5));
        assertEquals("backoff", held.process(), held.toString());
        assertTrue(held.detail().contains("the quorum still names this node master; waiting for Sentinel to fail over"), held.detail());
        Await.sleep(2500); // 50-400 ms backoff: it would long be back without the gate; about five asks
        assertEquals(0, Procs.redisServersOn("127.0.0.1", redis.address().port()), "still down while the quorum names it");
        ServiceState still = agent.service("redis");
        assertEquals("backoff", still.process());
        assertEquals(0, still.pid());
        assertEquals(0, still.restarts());
        assertEquals(held.since(), still.since(), "the state did not flap between asks");
        assertEquals(1, agent.events.of("start_held", "redis").size(), "one event per decision, not per ask: " + agent.events);
        assertEquals(0.0, agent.metric("rvi_process_crash_loop", "redis"));

        // a manual restart is gated too: refused while held, the hold goes on
        Throwable refused = agent.supervision.restart("redis").toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
        assertTrue(refused != null && refused.getMessage().contains("start is held"), String.valueOf(refused));
        Await.sleep(600);
        assertEquals(0, Procs.redisServersOn("127.0.0.1", redis.address().port()));

        quorum.set(addressOf(master)); // Sentinel failed over
        List<String> roles = rolesAfterRestart(redis.address(), Duration.ofSeconds(10), Duration.ofMillis(300));
        assertOnlyReplicaAnswers(roles);
        ServiceState back = agent.awaitState("redis", "restarted as a replica", s -> "running".equals(s.process())
                && "healthy".equals(s.health()) && "slave".equals(s.role()), Duration.ofSeconds(10));
        assertEquals("127.0.0.1 " + master.port(), replicaOf(redis.address()));
        assertEquals(1, back.restarts());
        assertEquals(1, agent.events.of("start_released", "redis").size(), agent.events.toString());
        assertEquals(0.0, agent.metric("rvi_process_crash_loop", "redis"), "holds are not exits");
        assertEquals(1.0, agent.metric("rvi_process_exits_total", "redis"));
    }

    @Test
    void aHoldEndsAfterRestartHoldAndRedisStartsAsConfigured() {
        AgentConfig.Service redis = redis();
        quorum.set(null); // no quorum: Sentinels unreachable
        SupervisionRig.Instance agent = gated(redis, 5, Duration.ofSeconds(1));
        agent.start(redis);
        ServiceState first = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals("master", first.role(), "no quorum at boot: the first start goes ahead");

        long killed = System.nanoTime();
        Procs.kill9(first.pid());
        ServiceState held = agent.awaitState("redis", "held", s -> s.detail().startsWith("start held:"), Duration.ofSeconds(5));
        assertTrue(held.detail().contains("no Sentinel quorum names a master"), held.detail());
        ServiceState back = agent.awaitState("redis", "restarted after the hold", s -> "running".equals(s.process()) && s.pid() > 0
                && s.pid() != first.pid(), Duration.ofSeconds(10));
        long tookMs = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(tookMs >= 900, "held about restart_hold (1 s), took " + tookMs + " ms");
        assertTrue(back.detail().contains("held for"), back.detail());
        agent.awaitRunningHealthy("redis", Duration.ofSeconds(5));
        assertEquals("", replicaOf(redis.address()), "as configured: no --replicaof");
    }

    @Test
    void aRedisStartedWithExtraArgumentsIsAdoptedAfterAnAgentRestart() throws Exception {
        RedisProcess master = rig.harness().redis("127.0.0.1");
        AgentConfig.Service redis = redis();
        quorum.set(addressOf(master)); // another node is master at boot: start as its replica
        SupervisionRig.Instance first = gated(redis, 5, Duration.ofSeconds(60));
        first.start(redis);
        ServiceState s1 = first.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals("slave", first.awaitState("redis", "role", s -> s.role() != null, Duration.ofSeconds(5)).role());
        assertEquals("127.0.0.1 " + master.port(), replicaOf(redis.address()));
        SupervisionRig.await(first.supervision.shutdown());
        assertTrue(Procs.alive(s1.pid()), "Redis outlives the agent");

        SupervisionRig.Instance second = gated(redis, 5, Duration.ofSeconds(60));
        second.start(redis);
        ServiceState s2 = second.service("redis");
        assertEquals("running", s2.process(), s2.toString());
        assertEquals(s1.pid(), s2.pid(), "same PID: adopted, not restarted");
        assertTrue(s2.detail().startsWith("adopted"), s2.detail());
        assertEquals(1, second.events.of("process_adopted").size(), second.events.toString());
        assertTrue(second.events.of("process_started").isEmpty(), second.events.toString());
        assertEquals(1, Procs.redisServersOn("127.0.0.1", redis.address().port()));
        assertEquals("slave", second.awaitState("redis", "role", s -> s.role() != null, Duration.ofSeconds(5)).role());
    }

    @Test
    void aGateHoldingTheFirstStartKeepsItStartingAndAFailingGateLetsItGo() {
        AgentConfig.Service redis = redis();
        List<Boolean> restartFlags = new CopyOnWriteArrayList<>();
        AtomicInteger asks = new AtomicInteger();
        SupervisionRig.Instance agent = rig.instance(Fixtures.policy(5));
        agent.supervision.startGate((service, restart) -> {
            restartFlags.add(restart);
            int n = asks.incrementAndGet();
            if (n <= 3) {
                return Future.succeededFuture(StartPlan.hold("test says wait"));
            }
            return Future.failedFuture("the gate broke");
        });
        agent.start(redis);
        ServiceState held = agent.service("redis");
        assertEquals("starting", held.process(), held.toString());
        assertEquals("start held: test says wait", held.detail());
        ServiceState up = agent.awaitRunningHealthy("redis", Duration.ofSeconds(10));
        assertEquals(4, asks.get(), "three holds, then a failure = proceed");
        assertEquals(List.of(false, false, false, false), restartFlags, "all asks of the first start say restart=false");
        assertEquals(1, agent.events.of("start_held").size(), agent.events.toString());

        Procs.kill9(up.pid());
        agent.awaitState("redis", "restarted", s -> "running".equals(s.process()) && s.pid() > 0 && s.pid() != up.pid(),
                Duration.ofSeconds(10));
        assertEquals(true, restartFlags.get(restartFlags.size() - 1), "a restart after an exit says restart=true");
    }
}
