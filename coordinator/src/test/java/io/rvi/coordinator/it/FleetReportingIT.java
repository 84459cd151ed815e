package io.rvi.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.report.Outbox;
import io.rvi.agent.report.OutboxEventSink;
import io.rvi.agent.report.Reporter;
import io.rvi.common.Clock;
import io.rvi.common.config.Secret;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Await;
import io.rvi.testkit.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three in-process agents (each: its own state dir, outbox, state and Reporter) reporting to a real
 * coordinator: the fleet view, a coordinator outage with events piling up, a coordinator restart on
 * the same database, and an agent restart over the same state dir. Every event arrives once, in order.
 */
class FleetReportingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    private Path dir;
    private Vertx vertx;
    private TestCoordinator coordinator;
    private final List<Agent> agents = new ArrayList<>();

    /** One agent's reporting parts, as the agent's wiring builds them. */
    final class Agent {
        final String id;
        final String token;
        final Path stateDir;
        final StateHolder state;
        Outbox outbox;
        OutboxEventSink sink;
        Reporter reporter;

        Agent(String id, String token) {
            this.id = id;
            this.token = token;
            this.stateDir = dir.resolve("agent-" + id);
            this.state = new StateHolder(id, "cache", "127.0.0.1", "0.1.0-test", Clock.SYSTEM);
            state.put(new ServiceState("redis", "redis", "spawn", "running", "healthy", 100, "master", "127.0.0.1:6379", 0, "ok", 1));
            state.put(new ServiceState("sentinel", "sentinel", "spawn", "running", "healthy", 101, "sentinel", "127.0.0.1:26379", 0, "ok", 1));
            state.markReady();
        }

        void start() {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            AgentConfig.Coordinator c = new AgentConfig.Coordinator(List.of(coordinator.url()), new Secret(token, "test"), HEARTBEAT,
                    Duration.ofSeconds(2), 10_000, 7);
            AgentConfig.Agent a = new AgentConfig.Agent(id, "cache", "127.0.0.1", stateDir, stateDir);
            outbox = Outbox.open(stateDir.resolve("outbox"), c.outboxMaxEvents(), vertx.createSharedWorkerExecutor("rvi-io-" + id, 1), registry);
            sink = new OutboxEventSink(vertx, outbox, Clock.SYSTEM);
            reporter = new Reporter(vertx, a, c, state, outbox, registry, Clock.SYSTEM);
            reporter.start();
        }

        void stop() throws Exception {
            reporter.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            outbox.close();
        }

        void emit(int n) {
            for (int i = 0; i < n; i++) {
                sink.emit("test", "info", "redis", id + " event", Map.of("agent", id));
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TempDirs.create("fleet");
        vertx = Vertx.vertx();
        coordinator = new TestCoordinator(dir.resolve("coordinator"), Map.of("a1", "a1-token", "a2", "a2-token"), 1024 * 1024).start();
        agents.add(new Agent("a1", "a1-token"));
        agents.add(new Agent("a2", "a2-token"));
        agents.add(new Agent("a3", TestCoordinator.SHARED));
        for (Agent a : agents) {
            a.start();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Agent a : agents) {
            a.stop();
        }
        coordinator.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        TempDirs.delete(dir);
    }

    private JsonObject fleet() {
        try {
            return new JsonObject(coordinator.get("/v1/fleet", TestCoordinator.OPERATOR).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every event of one agent in the journal, in journal order, with its incarnation. */
    private List<JsonObject> journal(String agentId) {
        List<JsonObject> out = new ArrayList<>();
        long since = 0;
        try {
            while (true) {
                JsonObject page = new JsonObject(coordinator.get("/v1/events?limit=1000&agent=" + agentId + "&since=" + since,
                        TestCoordinator.OPERATOR).body());
                page.getJsonArray("events").forEach(e -> out.add((JsonObject) e));
                since = page.getLong("next");
                if (!page.getBoolean("more")) {
                    return out;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitJournal(String agentId, long count) {
        Await.until(agentId + " has " + count + " events in the journal", WAIT, () -> journal(agentId).size() >= count,
                () -> journal(agentId).stream().map(e -> e.getLong("seq")).toList().toString());
        List<JsonObject> events = journal(agentId);
        assertEquals(LongStream.rangeClosed(1, count).boxed().toList(), events.stream().map(e -> e.getLong("seq")).toList(),
                agentId + ": every event once, in order");
        assertEquals(1, new HashSet<>(events.stream().map(e -> e.getString("incarnation")).toList()).size(), "one incarnation");
    }

    private void awaitAllFresh() {
        Await.until("3 fresh agents", WAIT, () -> {
            JsonArray list = fleet().getJsonArray("agents");
            return list.size() == 3 && list.stream().noneMatch(a -> ((JsonObject) a).getBoolean("stale"));
        }, () -> fleet().encodePrettily());
    }

    @Test
    void theFleetShowsEveryAgentWithItsServices() {
        awaitAllFresh();
        JsonObject f = fleet();
        for (Object o : f.getJsonArray("agents")) {
            JsonObject a = (JsonObject) o;
            assertEquals("cache", a.getString("cluster"));
            assertEquals("0.1.0-test", a.getString("version"));
            assertEquals(HEARTBEAT.toMillis(), a.getLong("interval_ms"));
            assertTrue(a.getBoolean("ready"));
            List<String> services = a.getJsonArray("services").stream().map(s -> ((JsonObject) s).getString("name")).toList();
            assertEquals(List.of("redis", "sentinel"), services);
            assertEquals("master", a.getJsonArray("services").getJsonObject(0).getString("role"));
        }
        assertEquals(List.of("a1", "a2", "a3"), f.getJsonObject("clusters").getJsonArray("cache").getList());
    }

    @Test
    void eventsSurviveACoordinatorOutageAndAnAgentRestart() throws Exception {
        awaitAllFresh();
        for (Agent a : agents) {
            a.emit(5);
        }
        for (Agent a : agents) {
            awaitJournal(a.id, 5);
        }

        coordinator.stop();
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int rounds = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            for (Agent a : agents) {
                a.emit(3);
            }
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(500).toNanos(), "emitting never waits for the coordinator");
            rounds++;
            Thread.sleep(100);
        }
        long during = 3L * rounds;
        for (Agent a : agents) {
            a.outbox.flush().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(during, a.outbox.pending(), a.id + " keeps what it could not deliver");
            assertEquals(Boolean.FALSE, a.reporter.reachable());
        }

        // a1 also restarts while the coordinator is away: new Outbox and Reporter over the same state dir
        Agent a1 = agents.get(0);
        a1.emit(4);
        a1.stop();
        a1.start();
        a1.emit(1);

        coordinator.start();
        awaitAllFresh();
        awaitJournal("a1", 5 + during + 4 + 1);
        awaitJournal("a2", 5 + during);
        awaitJournal("a3", 5 + during);
        for (Agent a : agents) {
            Await.until(a.id + " outbox empty", WAIT, () -> a.outbox.pending() == 0, () -> "" + a.outbox.pending());
            assertEquals(Boolean.TRUE, a.reporter.reachable());
        }
        Thread.sleep(3 * HEARTBEAT.toMillis());
        assertEquals(5 + during + 5, journal("a1").size(), "nothing is sent twice afterwards");
        assertFalse(coordinator.get("/metrics", null).body().contains("a1-token"));
    }
}
