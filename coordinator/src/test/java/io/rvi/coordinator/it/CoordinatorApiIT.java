package io.rvi.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.Json;
import io.rvi.common.protocol.AgentEvent;
import io.rvi.common.protocol.EventBatch;
import io.rvi.common.protocol.Heartbeat;
import io.rvi.common.protocol.ObservedState;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Await;
import io.rvi.testkit.TempDirs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator's HTTP API against a real in-process coordinator: auth, bad input, journal, staleness, restart. */
class CoordinatorApiIT {
    private static final String A1_TOKEN = "a1-own-token";
    private static final String A2_TOKEN = "a2-own-token";

    private Path dir;
    private TestCoordinator c;

    @BeforeEach
    void setUp() throws Exception {
        dir = TempDirs.create("coordapi");
        c = new TestCoordinator(dir, Map.of("a1", A1_TOKEN, "a2", A2_TOKEN), 8192).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        c.stop();
        TempDirs.delete(dir);
    }

    private static String heartbeat(String id, long intervalMs) {
        ObservedState st = new ObservedState(id, "main", "host-" + id, "0.1.0", 1, 2, true,
                List.of(new ServiceState("redis", "redis", "spawn", "running", "healthy", 4242, "master", "127.0.0.1:6379", 0, "ok", 3)));
        return Json.write(new Heartbeat(id, "inc-1", "main", "host-" + id, "0.1.0", System.currentTimeMillis(), intervalMs, st));
    }

    private static String batch(String id, String incarnation, long from, long to) {
        List<AgentEvent> events = LongStream.rangeClosed(from, to)
                .mapToObj(s -> new AgentEvent(s, 1000 + s, s % 2 == 0 ? "even" : "odd", "info", "redis", "event " + s, Map.of("s", s)))
                .toList();
        return Json.write(new EventBatch(id, incarnation, events));
    }

    private JsonObject fleet() throws Exception {
        HttpResponse<String> r = c.get("/v1/fleet", TestCoordinator.OPERATOR);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private JsonArray events(String query) throws Exception {
        HttpResponse<String> r = c.get("/v1/events" + query, TestCoordinator.OPERATOR);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body()).getJsonArray("events");
    }

    private static void assertStatus(int expected, HttpResponse<String> r) {
        assertEquals(expected, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), "JSON answer: " + r.headers());
        assertEquals(expected, new JsonObject(r.body()).getInteger("status"), r.body());
    }

    @Test
    void tokensAreCheckedPerRouteAndPerAgent() throws Exception {
        HttpResponse<String> r = c.send("PUT", "/v1/agents/a1/heartbeat", null, heartbeat("a1", 5000));
        assertStatus(401, r);
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertStatus(401, c.send("PUT", "/v1/agents/a1/heartbeat", "wrong", heartbeat("a1", 5000)));
        assertStatus(403, c.send("PUT", "/v1/agents/a2/heartbeat", A1_TOKEN, heartbeat("a2", 5000)));
        assertStatus(403, c.send("POST", "/v1/agents/a2/events", A1_TOKEN, batch("a2", "i", 1, 1)));
        assertStatus(403, c.send("PUT", "/v1/agents/a1/heartbeat", TestCoordinator.OPERATOR, heartbeat("a1", 5000)));
        assertStatus(401, c.get("/v1/fleet", null));
        assertStatus(403, c.get("/v1/fleet", A1_TOKEN));
        assertStatus(403, c.get("/v1/fleet", TestCoordinator.SHARED));
        assertStatus(403, c.get("/v1/events", A2_TOKEN));
        assertTrue(fleet().getJsonArray("agents").isEmpty(), "nothing was registered by refused requests");
        assertTrue(events("").isEmpty());

        assertEquals(200, c.send("PUT", "/v1/agents/a1/heartbeat", A1_TOKEN, heartbeat("a1", 5000)).statusCode());
        assertEquals(200, c.send("PUT", "/v1/agents/a3/heartbeat", TestCoordinator.SHARED, heartbeat("a3", 5000)).statusCode());
        assertEquals(List.of("a1", "a3"), agentIds(fleet()));
    }

    @Test
    void badBodiesAreRefusedAndChangeNothing() throws Exception {
        String tok = TestCoordinator.SHARED;
        List<String[]> bad = List.of(
                new String[] {"PUT", "/v1/agents/a9/heartbeat", "{\"agentId\":"},
                new String[] {"PUT", "/v1/agents/a9/heartbeat", "[1,2]"},
                new String[] {"PUT", "/v1/agents/a9/heartbeat", ""},
                new String[] {"PUT", "/v1/agents/a9/heartbeat", "null"},
                new String[] {"PUT", "/v1/agents/a9/heartbeat", "{\"agentId\":\"a9\"}"},
                new String[] {"PUT", "/v1/agents/a9/heartbeat", heartbeat("other", 5000)},
                new String[] {"PUT", "/v1/agents/a9/heartbeat", heartbeat("a9", 5000).replace("\"services\":[", "\"services\":[7,")},
                new String[] {"PUT", "/v1/agents/-bad/heartbeat", heartbeat("-bad", 5000)},
                new String[] {"POST", "/v1/agents/a9/events", "{\"agentId\":\"a9\",\"incarnation\":\"i\",\"events\":[{\"seq\":\"x\"}]}"},
                new String[] {"POST", "/v1/agents/a9/events", "{\"agentId\":\"a9\",\"incarnation\":\"i\",\"events\":{}}"},
                new String[] {"POST", "/v1/agents/a9/events", batch("a9", "i", 1, 3).replace("\"seq\":2", "\"seq\":1")},
                new String[] {"POST", "/v1/agents/a9/events", batch("a8", "i", 1, 3)});
        for (String[] b : bad) {
            assertStatus(400, c.send(b[0], b[1], tok, b[2]));
        }
        assertTrue(fleet().getJsonArray("agents").isEmpty());
        assertTrue(events("").isEmpty());
    }

    @Test
    void oversizedBodiesAre413AndChangeNothing() throws Exception {
        String big = batch("a9", "i", 1, 200);
        assertTrue(big.length() > 8192);
        assertStatus(413, c.send("POST", "/v1/agents/a9/events", TestCoordinator.SHARED, big));
        String bigHeartbeat = heartbeat("a9", 5000).replace("\"detail\":\"ok\"", "\"detail\":\"" + "x".repeat(9000) + "\"");
        assertStatus(413, c.send("PUT", "/v1/agents/a9/heartbeat", TestCoordinator.SHARED, bigHeartbeat));
        assertTrue(events("").isEmpty());
        assertTrue(fleet().getJsonArray("agents").isEmpty());
        assertStatus(404, c.get("/v1/nothing", TestCoordinator.OPERATOR));
    }

    @Test
    void eventsAreStoredOnceAndPagedWithACursor() throws Exception {
        String tok = TestCoordinator.SHARED;
        HttpResponse<String> r = c.send("POST", "/v1/agents/a9/events", tok, batch("a9", "i1", 1, 10));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(10, new JsonObject(r.body()).getLong("acked_seq"));
        r = c.send("POST", "/v1/agents/a9/events", tok, batch("a9", "i1", 5, 12));
        assertEquals(12, new JsonObject(r.body()).getLong("acked_seq"));
        assertEquals(2, new JsonObject(r.body()).getInteger("stored"));
        c.send("POST", "/v1/agents/a7/events", tok, batch("a7", "i1", 1, 3));

        List<Long> seqs = new ArrayList<>();
        long since = 0;
        while (true) {
            HttpResponse<String> page = c.get("/v1/events?agent=a9&limit=5&since=" + since, TestCoordinator.OPERATOR);
            JsonObject body = new JsonObject(page.body());
            body.getJsonArray("events").forEach(e -> seqs.add(((JsonObject) e).getLong("seq")));
            since = body.getLong("next");
            if (!body.getBoolean("more")) {
                break;
            }
        }
        assertEquals(LongStream.rangeClosed(1, 12).boxed().toList(), seqs);
        assertEquals(6, events("?agent=a9&type=even").size());
        assertEquals(15, events("?limit=1000").size());
        JsonObject e = events("?agent=a7&limit=1").getJsonObject(0);
        assertEquals("a7", e.getString("agent_id"));
        assertEquals("i1", e.getString("incarnation"));
        assertEquals("redis", e.getString("service"));
        assertEquals(1, e.getJsonObject("data").getInteger("s"));
        assertTrue(e.getLong("received_at") > 0);
        assertStatus(400, c.get("/v1/events?limit=0", TestCoordinator.OPERATOR));
        assertStatus(400, c.get("/v1/events?since=abc", TestCoordinator.OPERATOR));
        assertStatus(400, c.get("/v1/events?agent=bad%20id", TestCoordinator.OPERATOR));
        String metrics = c.get("/metrics", null).body();
        assertTrue(metrics.contains("rvi_coordinator_events_stored_total 15.0"), metrics);
    }

    @Test
    void anAgentThatStopsHeartbeatingTurnsStaleAfterThreeIntervals() throws Exception {
        assertEquals(200, c.send("PUT", "/v1/agents/a1/heartbeat", A1_TOKEN, heartbeat("a1", 60_000)).statusCode());
        assertFalse(fleet().getJsonArray("agents").getJsonObject(0).getBoolean("stale"));
        long start = System.nanoTime();
        assertEquals(200, c.send("PUT", "/v1/agents/a1/heartbeat", A1_TOKEN, heartbeat("a1", 200)).statusCode());
        JsonObject a = fleet().getJsonArray("agents").getJsonObject(0);
        assertEquals("redis", a.getJsonArray("services").getJsonObject(0).getString("name"));
        assertEquals(List.of("a1"), fleet().getJsonObject("clusters").getJsonArray("main").getList());
        Await.until("a1 stale", Duration.ofSeconds(10), () -> {
            try {
                return fleet().getJsonArray("agents").getJsonObject(0).getBoolean("stale");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 590, "not stale before 3 intervals of 200 ms (stale after " + waited + " ms)");
        assertTrue(c.get("/metrics", null).body().contains("rvi_fleet_agents{state=\"stale\"} 1.0"));
        assertEquals(200, c.send("PUT", "/v1/agents/a1/heartbeat", A1_TOKEN, heartbeat("a1", 60_000)).statusCode());
        assertFalse(fleet().getJsonArray("agents").getJsonObject(0).getBoolean("stale"));
    }

    @Test
    void afterARestartAgentsAreKnownButStaleUntilTheyHeartbeat() throws Exception {
        c.send("PUT", "/v1/agents/a1/heartbeat", A1_TOKEN, heartbeat("a1", 60_000));
        c.send("POST", "/v1/agents/a1/events", A1_TOKEN, batch("a1", "inc-1", 1, 3));
        c.stop();
        c.start();
        JsonObject a = fleet().getJsonArray("agents").getJsonObject(0);
        assertEquals("a1", a.getString("agent_id"));
        assertTrue(a.getBoolean("stale"));
        assertEquals("redis", a.getJsonArray("services").getJsonObject(0).getString("name"), "services come back from the store");
        assertEquals(3, events("").size());
        c.send("PUT", "/v1/agents/a1/heartbeat", A1_TOKEN, heartbeat("a1", 60_000));
        assertFalse(fleet().getJsonArray("agents").getJsonObject(0).getBoolean("stale"));
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        assertEquals(200, c.get("/health/live", null).statusCode());
        HttpResponse<String> ready = c.get("/health/ready", null);
        assertEquals(200, ready.statusCode());
        assertEquals("ready", new JsonObject(ready.body()).getString("status"));
        c.send("PUT", "/v1/agents/a1/heartbeat", null, heartbeat("a1", 5000));
        HttpResponse<String> m = c.get("/metrics", null);
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String text = m.body();
        for (String want : List.of("rvi_fleet_agents{state=\"fresh\"}", "rvi_fleet_agents{state=\"stale\"}",
                "rvi_coordinator_requests_total{route=\"heartbeat\",status=\"401\"} 1.0",
                "rvi_coordinator_requests_total{route=\"health\",status=\"200\"}", "rvi_coordinator_events_stored_total",
                "jvm_memory_used_bytes", "process_uptime_seconds")) {
            assertTrue(text.contains(want), "metrics lack " + want);
        }
        assertFalse(text.contains(A1_TOKEN) || text.contains(TestCoordinator.OPERATOR));
    }

    private static List<String> agentIds(JsonObject fleet) {
        List<String> ids = new ArrayList<>();
        fleet.getJsonArray("agents").forEach(a -> ids.add(((JsonObject) a).getString("agent_id")));
        return ids;
    }
}
