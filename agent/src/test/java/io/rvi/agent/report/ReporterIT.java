package io.rvi.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.StateHolder;
import io.rvi.common.Clock;
import io.rvi.common.config.Secret;
import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reporter against small stand-in coordinators: URL failover, split batches, refused events, standalone. */
class ReporterIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Vertx vertx;
    private Path stateDir;
    private final List<HttpServer> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        stateDir = TempDirs.create("reporter");
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        TempDirs.delete(stateDir);
    }

    /** A stand-in coordinator: records heartbeats and event seqs; {@code answer} picks the status for a batch. */
    final class Stub {
        final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger heartbeats = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final int port;

        Stub(int status, Function<JsonArray, Integer> answer) throws Exception {
            Router r = Router.router(vertx);
            r.route().handler(BodyHandler.create());
            r.route().handler(ctx -> {
                requests.incrementAndGet();
                if (!"Bearer agent-token".equals(ctx.request().getHeader("Authorization"))) {
                    ctx.response().setStatusCode(401).end();
                } else if (status != 200) {
                    ctx.response().setStatusCode(status).end("{\"error\":\"down\"}");
                } else {
                    ctx.next();
                }
            });
            r.put("/v1/agents/:id/heartbeat").handler(ctx -> {
                heartbeats.incrementAndGet();
                ctx.response().end(new JsonObject().put("ok", true).put("interval_ms", 200).encode());
            });
            r.post("/v1/agents/:id/events").handler(ctx -> {
                JsonArray events = ctx.body().asJsonObject().getJsonArray("events");
                int s = answer.apply(events);
                if (s != 200) {
                    ctx.response().setStatusCode(s).end("{\"error\":\"refused\"}");
                    return;
                }
                long last = 0;
                for (int i = 0; i < events.size(); i++) {
                    last = events.getJsonObject(i).getLong("seq");
                    seqs.add(last);
                }
                ctx.response().end(new JsonObject().put("acked_seq", last).encode());
            });
            HttpServer server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            servers.add(server);
            port = server.actualPort();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private static AgentConfig.Coordinator coordinator(List<String> urls, int batchSize) {
        return new AgentConfig.Coordinator(urls, new Secret("agent-token", "test"), Duration.ofMillis(200), Duration.ofMillis(1000),
                1000, batchSize);
    }

    private record Agent(Outbox outbox, OutboxEventSink sink, Reporter reporter, SimpleMeterRegistry registry) {}

    private Agent agent(AgentConfig.Coordinator c) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AgentConfig.Agent a = new AgentConfig.Agent("a1", "main", "127.0.0.1", stateDir, stateDir);
        Outbox outbox = Outbox.open(stateDir.resolve("outbox"), c.outboxMaxEvents(), vertx.createSharedWorkerExecutor("rvi-io", 1), registry);
        StateHolder state = new StateHolder("a1", "main", "127.0.0.1", "test", Clock.SYSTEM);
        Reporter reporter = new Reporter(vertx, a, c, state, outbox, registry, Clock.SYSTEM);
        return new Agent(outbox, new OutboxEventSink(vertx, outbox, Clock.SYSTEM), reporter, registry);
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static void stop(Agent a) throws Exception {
        a.reporter().stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        a.outbox().close();
    }

    @Test
    void movesPastDeadAndFailingCoordinatorsAndSticksToTheOneThatWorks() throws Exception {
        Stub failing = new Stub(503, b -> 200);
        Stub good = new Stub(200, b -> 200);
        String dead = "http://127.0.0.1:" + FreePorts.free();
        Agent a = agent(coordinator(List.of(dead, failing.url(), good.url()), 7));
        a.reporter().start();
        for (int i = 0; i < 30; i++) {
            a.sink().emit("test", "info", null, "event " + i, Map.of());
        }
        Await.until("all 30 events at the working coordinator", WAIT, () -> good.seqs.size() >= 30, good.seqs::toString);
        assertEquals(range(1, 30), List.copyOf(good.seqs), "in order, each once");
        Await.until("heartbeats at the working coordinator", WAIT, () -> good.heartbeats.get() >= 3, () -> "" + good.heartbeats);
        int failingRequests = failing.requests.get();
        Thread.sleep(1000);
        assertEquals(failingRequests, failing.requests.get(), "sticks to the coordinator that works");
        assertTrue(a.registry().get("rvi.report.heartbeats").tag("outcome", "success").counter().count() >= 3);
        assertTrue(a.registry().get("rvi.report.last.success.timestamp").gauge().value() > 0);
        Await.until("the outbox drained", WAIT, () -> a.outbox().pending() == 0, () -> "" + a.outbox().pending());
        stop(a);
    }

    @Test
    void tooLargeBatchesAreSplitAndAnEventRefusedAloneIsDropped() throws Exception {
        Stub stub = new Stub(200, events -> {
            for (int i = 0; i < events.size(); i++) {
                if ("poison".equals(events.getJsonObject(i).getString("type"))) {
                    return 400;
                }
            }
            return events.size() > 3 ? 413 : 200;
        });
        Agent a = agent(coordinator(List.of(stub.url()), 50));
        for (int i = 0; i < 10; i++) {
            a.sink().emit(i == 5 ? "poison" : "test", "info", null, "event " + i, Map.of());
        }
        a.reporter().start();
        Await.until("the 9 acceptable events delivered", WAIT, () -> stub.seqs.size() >= 9, stub.seqs::toString);
        List<Long> expected = new ArrayList<>(range(1, 10));
        expected.remove(Long.valueOf(6));
        assertEquals(expected, List.copyOf(stub.seqs));
        assertEquals(1.0, a.registry().get("rvi.report.events.refused").counter().count());
        Await.until("the outbox drained", WAIT, () -> a.outbox().pending() == 0, () -> "" + a.outbox().pending());
        stop(a);
    }

    @Test
    void eventsWaitWhileTheCoordinatorRefusesTheTokenAndGoOnceItIsFixed() throws Exception {
        Stub stub = new Stub(200, b -> 200);
        AgentConfig.Coordinator wrong = new AgentConfig.Coordinator(List.of(stub.url()), new Secret("wrong", "test"),
                Duration.ofMillis(200), Duration.ofMillis(1000), 1000, 50);
        Agent a = agent(wrong);
        a.reporter().start();
        a.sink().emit("test", "info", null, "e1", Map.of());
        Thread.sleep(600);
        assertTrue(stub.seqs.isEmpty());
        assertEquals(1, a.outbox().pending());
        a.reporter().reconfigure(coordinator(List.of(stub.url()), 50));
        Await.until("the event delivered with the right token", WAIT, () -> stub.seqs.size() == 1, stub.seqs::toString);
        stop(a);
    }

    @Test
    void withoutUrlsNothingIsSentAndEventsStayInTheOutbox() throws Exception {
        Agent a = agent(coordinator(List.of(), 50));
        a.reporter().start();
        a.sink().emit("test", "info", null, "kept", Map.of());
        a.outbox().flush().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(1, a.outbox().pending());
        assertEquals(null, a.reporter().reachable());
        stop(a);
    }
}
