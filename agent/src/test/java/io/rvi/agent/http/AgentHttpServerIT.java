package io.rvi.agent.http;

import io.rvi.testkit.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.metrics.AgentMetrics;
import io.rvi.common.Clock;
import io.rvi.common.ExitCode;
import io.rvi.common.Json;
import io.rvi.common.StartupException;
import io.rvi.common.config.Secret;
import io.rvi.common.protocol.ObservedState;
import io.rvi.common.protocol.ServiceState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's HTTP server, real, on a free port of 127.0.0.1. */
class AgentHttpServerIT {
    static final String TOKEN = "tok-7f3a9c1e5b2d4a6f8e0c";
    private static final long MAX_BODY = 1024;

    private final Vertx vertx = Vertx.vertx();
    private final AgentMetrics metrics = new AgentMetrics();
    private final StateHolder state = new StateHolder("agent-1", "main", "127.0.0.1", "test", Clock.SYSTEM);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final List<AgentHttpServer> servers = new ArrayList<>();
    private LogCapture logs;
    private AgentHttpServer server;
    private Http http;

    static AgentConfig.Http config(int port, Secret token, long maxBody) {
        return new AgentConfig.Http("127.0.0.1", port, maxBody, token, null, null);
    }

    static Secret token(String value) {
        return new Secret(value, "/etc/rvi/agent-api.token");
    }

    private AgentHttpServer server(AgentConfig.Http cfg) {
        AgentHttpServer s = new AgentHttpServer(vertx, cfg, state, metrics.registry(), ready::get);
        servers.add(s);
        return s;
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception c) {
                throw c;
            }
            throw e;
        }
    }

    @BeforeEach
    void start() throws Exception {
        logs = new LogCapture();
        server = server(config(0, token(TOKEN), MAX_BODY));
        server.action(HttpMethod.POST, "/echo", ctx -> {
            JsonObject body = RequestJson.object(ctx);
            ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("principal", (String) ctx.get("principal")).put("body", body).encode());
        });
        await(server.start());
        http = new Http("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() throws Exception {
        for (AgentHttpServer s : servers) {
            await(s.stop());
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        metrics.close();
        logs.close();
        for (String line : logs.lines()) {
            assertTrue(!line.contains(TOKEN) && !line.contains("other-token-0123"), "a token was logged: " + line);
        }
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String message) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(message, body.path("error").asText(), r.body());
        assertEquals(status, body.path("status").asInt(), r.body());
    }

    @Test
    void liveAnswers200Always() throws Exception {
        HttpResponse<String> r = http.get("/health/live");
        assertEquals(200, r.statusCode());
        assertEquals("live", json(r).path("status").asText());
    }

    @Test
    void readyAnswers503UntilTheAgentIsReadyThen200() throws Exception {
        HttpResponse<String> r = http.get("/health/ready");
        assertEquals(503, r.statusCode());
        assertEquals("not ready", json(r).path("status").asText());
        ready.set(true);
        r = http.get("/health/ready");
        assertEquals(200, r.statusCode());
        assertEquals("ready", json(r).path("status").asText());
    }

    @Test
    void statusIsTheObservedStateAsJson() throws Exception {
        state.put(new ServiceState("redis", "redis", "spawn", "running", "healthy", 4242, "master", "127.0.0.1:6379", 1, "ok", 5));
        HttpResponse<String> r = http.get("/status");
        assertEquals(200, r.statusCode());
        json(r);
        ObservedState s = Json.read(r.body().getBytes(), ObservedState.class);
        assertEquals("agent-1", s.agentId());
        assertEquals("main", s.cluster());
        assertEquals("master", s.service("redis").role());
        assertEquals(4242, s.service("redis").pid());
    }

    @Test
    void metricsIsPrometheusText004AndFast() throws Exception {
        HttpResponse<String> r = http.get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.body().contains("\njvm_memory_used_bytes{"), r.body());
        assertTrue(r.body().contains("# TYPE process_uptime_seconds gauge"), r.body());

        long[] millis = new long[20];
        for (int i = 0; i < millis.length; i++) {
            long t0 = System.nanoTime();
            assertEquals(200, http.get("/metrics").statusCode());
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        java.util.Arrays.sort(millis);
        System.out.println("GET /metrics: median " + millis[10] + " ms, max " + millis[19] + " ms");
        assertTrue(millis[10] < 200, "median scrape " + millis[10] + " ms");
    }

    @Test
    void metricsAppendsExtraExpositionsAfterTheRegistrys() throws Exception {
        server.addExposition(() -> Future.succeededFuture("# HELP redis_up Information about the Redis instance\n"
                + "# TYPE redis_up gauge\nredis_up{service=\"redis\"} 1\n"));
        server.addExposition(() -> vertx.timer(50).map("# TYPE redis_sentinel_masters gauge\nredis_sentinel_masters 2\n"));
        HttpResponse<String> r = http.get("/metrics");
        assertEquals(200, r.statusCode());
        String body = r.body();
        assertTrue(body.indexOf("jvm_memory_used_bytes{") < body.indexOf("# TYPE redis_up gauge"), body);
        assertTrue(body.contains("\nredis_up{service=\"redis\"} 1\n# TYPE redis_sentinel_masters gauge\nredis_sentinel_masters 2\n"), body);
        assertEquals(1, body.split("# TYPE redis_up ", -1).length - 1);
    }

    @Test
    void metricsIsServedWithoutAnExtraThatFails() throws Exception {
        server.addExposition(() -> Future.failedFuture("redis went away"));
        server.addExposition(() -> {
            throw new IllegalStateException("broken supplier");
        });
        server.addExposition(() -> Future.succeededFuture("redis_up 1\n"));
        HttpResponse<String> r = http.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\njvm_memory_used_bytes{"), r.body());
        assertTrue(r.body().endsWith("\nredis_up 1\n"), r.body());
        assertTrue(logs.lines().stream().anyMatch(l -> l.contains("without an extra exposition: redis went away")), logs.lines().toString());
    }

    @Test
    void unknownPathIs404Json() throws Exception {
        assertError(http.get("/nope"), 404, "no such resource: /nope");
        assertError(http.get("/actions/nope"), 404, "no such resource: /actions/nope");
    }

    @Test
    void wrongMethodIs405Json() throws Exception {
        assertError(http.get("/actions/echo"), 405, "method not allowed: GET /actions/echo");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertError(http.post("/actions/echo", "{\"a\": ", TOKEN), 400, "malformed JSON body: expected a JSON object");
        assertError(http.post("/actions/echo", "[1, 2]", TOKEN), 400, "malformed JSON body: expected a JSON object");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "{\"pad\":\"" + "x".repeat((int) MAX_BODY) + "\"}";
        assertError(http.post("/actions/echo", big, TOKEN), 413, "request body larger than " + MAX_BODY + " bytes");
    }

    @Test
    void actionWithoutTokenIs401() throws Exception {
        HttpResponse<String> r = http.post("/actions/echo", "{}", null);
        assertError(r, 401, "missing bearer token");
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void actionWithWrongTokenIs401() throws Exception {
        assertError(http.post("/actions/echo", "{}", TOKEN + "x"), 401, "invalid bearer token");
        assertError(http.post("/actions/echo", "{}", TOKEN.substring(1)), 401, "invalid bearer token");
    }

    @Test
    void actionWithTheTokenIs200AndSeesThePrincipalAndBody() throws Exception {
        HttpResponse<String> r = http.post("/actions/echo", "{\"service\":\"redis\"}", TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("http.token_file", body.path("principal").asText());
        assertEquals("redis", body.path("body").path("service").asText());
        assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("INFO rvi.audit http method=POST path=/actions/echo")
                && l.contains("status=200")), () -> String.join("\n", logs.lines()));
    }

    @Test
    void actionsAddedAfterStartAndWithTheActionsPrefixWork() throws Exception {
        server.action(HttpMethod.POST, "/actions/late/:name", ctx -> ctx.response().end(ctx.pathParam("name")));
        assertEquals("x1", http.post("/actions/late/x1", "", TOKEN).body());
        assertError(http.post("/actions/late/x1", "", null), 401, "missing bearer token");
    }

    @Test
    void withoutATokenActionsAre403() throws Exception {
        AgentHttpServer open = server(config(0, null, MAX_BODY));
        open.action(HttpMethod.POST, "/echo", ctx -> ctx.response().end("should not run"));
        await(open.start());
        Http h = new Http("http://127.0.0.1:" + open.port());
        assertError(h.post("/actions/echo", "{}", null), 403, "actions disabled: set http.token_file");
        assertError(h.post("/actions/echo", "{}", TOKEN), 403, "actions disabled: set http.token_file");
        assertEquals(200, h.get("/health/live").statusCode());
    }

    @Test
    void aNewTokenAppliesWithoutRebinding() throws Exception {
        int port = server.port();
        await(server.reconfigure(config(0, token("other-token-0123"), MAX_BODY)));
        assertEquals(port, server.port());
        assertError(http.post("/actions/echo", "{}", TOKEN), 401, "invalid bearer token");
        assertEquals(200, http.post("/actions/echo", "{}", "other-token-0123").statusCode());

        await(server.reconfigure(config(0, null, MAX_BODY)));
        assertEquals(port, server.port());
        assertError(http.post("/actions/echo", "{}", "other-token-0123"), 403, "actions disabled: set http.token_file");
    }

    @Test
    void aNewBodyLimitAppliesWithoutRebinding() throws Exception {
        int port = server.port();
        String body = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
        assertEquals(413, http.post("/actions/echo", body, TOKEN).statusCode());
        await(server.reconfigure(config(0, token(TOKEN), 4096)));
        assertEquals(port, server.port());
        assertEquals(200, http.post("/actions/echo", body, TOKEN).statusCode());
    }

    @Test
    void aNewPortRebinds() throws Exception {
        int oldPort = server.port();
        int newPort = freePort();
        await(server.reconfigure(config(newPort, token(TOKEN), MAX_BODY)));
        assertEquals(newPort, server.port());
        assertEquals(200, new Http("http://127.0.0.1:" + newPort).get("/health/live").statusCode());
        assertEquals(200, new Http("http://127.0.0.1:" + newPort).post("/actions/echo", "{}", TOKEN).statusCode());
        assertThrows(ConnectException.class, () -> http.get("/health/live"));
        assertNotEquals(oldPort, newPort);
    }

    @Test
    void aRebindToABusyPortFailsAndKeepsServingOnTheOldOne() throws Exception {
        int oldPort = server.port();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StartupException e = assertThrows(StartupException.class,
                    () -> await(server.reconfigure(config(busy.getLocalPort(), token(TOKEN), MAX_BODY))));
            assertEquals(ExitCode.PORT_IN_USE, e.exitCode());
        }
        assertEquals(oldPort, server.port());
        assertEquals(200, http.get("/health/live").statusCode());
    }

    @Test
    void aPortInUseIsAStartupExceptionWithItsOwnExitCode() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AgentHttpServer second = server(config(busy.getLocalPort(), null, MAX_BODY));
            StartupException e = assertThrows(StartupException.class, () -> await(second.start()));
            assertEquals(ExitCode.PORT_IN_USE, e.exitCode());
            assertEquals("http: cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": the port is already in use (http.port "
                    + busy.getLocalPort() + "); stop the other program or choose another port", e.getMessage());
        }
    }

    @Test
    void anAddressNotOnThisHostIsAConfigError() throws Exception {
        // 192.0.2.0/24 is TEST-NET-1: never assigned to a host, so binding fails locally and nothing is sent
        AgentHttpServer s = server(new AgentConfig.Http("192.0.2.1", 0, MAX_BODY, null, null, null));
        StartupException e = assertThrows(StartupException.class, () -> await(s.start()));
        assertEquals(ExitCode.CONFIG, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith("http: cannot listen on 192.0.2.1:0: "), e.getMessage());
    }

    @Test
    void stopClosesThePort() throws Exception {
        await(server.stop());
        assertEquals(-1, server.port());
        assertThrows(ConnectException.class, () -> http.get("/health/live"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
