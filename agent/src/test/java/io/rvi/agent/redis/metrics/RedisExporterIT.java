package io.rvi.agent.redis.metrics;

import io.rvi.testkit.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.rvi.testkit.RespClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisExporter} against real redis-server and redis-sentinel processes: freshness, failures, config changes. */
class RedisExporterIT {
    static final String PASSWORD = "pw-3c9d1e7f5a2b4c6d";

    private final Vertx vertx = Vertx.vertx();
    private final List<RedisExporter> exporters = new ArrayList<>();
    private RedisHarness harness;
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        harness = new RedisHarness();
        logs = new LogCapture();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (RedisExporter e : exporters) {
            await(e.close());
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (harness != null) {
            harness.close();
        }
        if (logs != null) {
            logs.close();
            for (String line : logs.lines()) {
                assertTrue(!line.contains(PASSWORD) && !line.contains("wrong-" + PASSWORD), "a password was logged: " + line);
            }
        }
    }

    static AgentConfig.Service service(String name, AgentConfig.Kind kind, String host, int port, Secret password, Duration timeout) {
        return new AgentConfig.Service(name, kind, new HostPort(host, port), password, AgentConfig.Mode.NONE, null, List.of(), null,
                null, Duration.ofSeconds(1), timeout, 3);
    }

    static AgentConfig.Service redis(String name, RedisProcess p) {
        return service(name, AgentConfig.Kind.REDIS, p.host(), p.port(), null, Duration.ofSeconds(1));
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    private RedisExporter exporter(Map<String, AgentConfig.Service> services, Duration maxAge) {
        RedisExporter e = new RedisExporter(vertx, services, Clock.SYSTEM, maxAge);
        exporters.add(e);
        return e;
    }

    private static PromText scrape(RedisExporter e) throws Exception {
        String text = await(e.scrape());
        PromText p = PromText.parse(text);
        assertEquals(List.of(), p.problems, text);
        return p;
    }

    private static Double up(PromText p, String service) {
        return p.family("redis_up") == null ? null : p.family("redis_up").value(Map.of("service", service));
    }

    /** How many INFO commands {@code p} has run (this one's own not counted). */
    private static long infoCalls(RedisProcess p) {
        try (RespClient c = p.client()) {
            Matcher m = Pattern.compile("cmdstat_info:calls=(\\d+)").matcher(c.info("commandstats"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }

    @Test
    void aDownRedisIsRedisUpZeroAndNothingElseUntilItIsBack() throws Exception {
        RedisProcess a = harness.redis("127.0.0.1");
        RedisProcess b = harness.redis("127.0.0.1");
        RedisExporter e = exporter(Map.of("a", redis("a", a), "b", redis("b", b)), Duration.ZERO);
        PromText p = scrape(e);
        assertEquals(1, up(p, "a"));
        assertEquals(1, up(p, "b"));
        int port = a.port();
        a.kill9();
        long t0 = System.nanoTime();
        p = scrape(e);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, up(p, "a"));
        assertEquals(1, up(p, "b"));
        for (PromText.Family f : p.families.values()) {
            if (!f.name.equals("redis_up")) {
                assertTrue(f.samples.stream().noneMatch(s -> "a".equals(s.labels().get("service"))), f.name + " still has service a");
            }
        }
        assertTrue(ms < 1000, "a refused connection took " + ms + " ms");
        assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("cannot read a")), logs.lines().toString());
        harness.redisOn("127.0.0.1", port);
        p = scrape(e);
        assertEquals(1, up(p, "a"));
        assertTrue(p.family("redis_connected_clients").has(Map.of("service", "a")));
    }

    @Test
    void aSilentPeerTimesOutAtTheProbeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept, never answer
                    }
                } catch (Exception done) {
                    // closed
                }
            });
            acceptor.start();
            RedisProcess ok = harness.redis("127.0.0.1");
            RedisExporter e = exporter(Map.of(
                    "silent", service("silent", AgentConfig.Kind.REDIS, "127.0.0.1", silent.getLocalPort(), null, Duration.ofMillis(300)),
                    "ok", redis("ok", ok)), Duration.ZERO);
            long t0 = System.nanoTime();
            PromText p = scrape(e);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, up(p, "silent"));
            assertEquals(1, up(p, "ok"));
            assertTrue(ms >= 250 && ms < 1500, "took " + ms + " ms with a 300 ms timeout");
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("cannot read silent") && l.contains("within 300 ms")),
                    logs.lines().toString());
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void scrapesCloseTogetherReadRedisOnce() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        RedisExporter e = exporter(Map.of("redis", redis("redis", r)), Duration.ofSeconds(2));
        long before = infoCalls(r);
        List<Future<String>> together = List.of(e.scrape(), e.scrape(), e.scrape()); // one runs, two wait for it
        for (Future<String> f : together) {
            assertTrue(await(f).contains("redis_up{service=\"redis\"} 1"));
        }
        scrape(e); // within 2 s: the cached result
        assertEquals(1, infoCalls(r) - before - 1);
        Thread.sleep(2100);
        scrape(e);
        assertEquals(2, infoCalls(r) - before - 2);

        RedisExporter never = exporter(Map.of("redis", redis("redis", r)), Duration.ZERO);
        long start = infoCalls(r);
        scrape(never);
        scrape(never);
        assertEquals(2, infoCalls(r) - start - 1);
    }

    @Test
    void keepsOneConnectionAndNamesIt() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        RedisExporter e = exporter(Map.of("redis", redis("redis", r)), Duration.ZERO);
        long before = connectionsReceived(r);
        for (int i = 0; i < 5; i++) {
            scrape(e);
        }
        assertEquals(2, connectionsReceived(r) - before, "one for the exporter, one for this check");
        try (RespClient c = r.client()) {
            String clients = String.valueOf(c.call("CLIENT", "LIST"));
            assertEquals(1, clients.split("name=rvi-agent-metrics ", -1).length - 1, clients);
        }
    }

    private static long connectionsReceived(RedisProcess p) {
        try (RespClient c = p.client()) {
            Matcher m = Pattern.compile("total_connections_received:(\\d+)").matcher(c.info("stats"));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    @Test
    void passwordFromTheSecretAndAWrongOneIsRedisUpZero() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        try (RespClient c = r.client()) {
            assertEquals("OK", c.call("CONFIG", "SET", "requirepass", PASSWORD)); // after start: the testkit awaits PING
        }
        AgentConfig.Service right = service("redis", AgentConfig.Kind.REDIS, r.host(), r.port(),
                new Secret(PASSWORD, "/etc/rvi/redis.password"), Duration.ofSeconds(1));
        AgentConfig.Service wrong = service("other", AgentConfig.Kind.REDIS, r.host(), r.port(),
                new Secret("wrong-" + PASSWORD, "/etc/rvi/other.password"), Duration.ofSeconds(1));
        AgentConfig.Service none = service("none", AgentConfig.Kind.REDIS, r.host(), r.port(), null, Duration.ofSeconds(1));
        RedisExporter e = exporter(Map.of("redis", right, "other", wrong, "none", none), Duration.ZERO);
        PromText p = scrape(e);
        assertEquals(1, up(p, "redis"));
        assertEquals(0, up(p, "other"));
        assertEquals(0, up(p, "none"));
        assertTrue(p.family("redis_memory_used_bytes").has(Map.of("service", "redis")));
    }

    @Test
    void reconfigureAddsRemovesAndReconnectsChangedServices() throws Exception {
        RedisProcess a = harness.redis("127.0.0.1");
        RedisProcess b = harness.redis("127.0.0.2");
        RedisProcess s = harness.sentinel("127.0.0.1", a, 1);
        RedisExporter e = exporter(Map.of("redis", redis("redis", a)), Duration.ofSeconds(1));
        assertEquals(String.valueOf(a.port()), tcpPort(scrape(e), "redis"));

        await(e.reconfigure(Map.of("redis", redis("redis", b),
                "sentinel", service("sentinel", AgentConfig.Kind.SENTINEL, s.host(), s.port(), null, Duration.ofSeconds(1)))));
        PromText p = scrape(e); // not the cached result: the changed service starts afresh
        assertEquals(String.valueOf(b.port()), tcpPort(p, "redis"));
        assertEquals(1, up(p, "sentinel"));
        assertEquals(1, p.family("redis_sentinel_masters").value(Map.of("service", "sentinel")));

        await(e.reconfigure(Map.of("sentinel", service("sentinel", AgentConfig.Kind.SENTINEL, s.host(), s.port(), null,
                Duration.ofSeconds(1)))));
        p = scrape(e);
        assertNull(up(p, "redis"));
        assertEquals(1, up(p, "sentinel"));

        await(e.reconfigure(Map.of()));
        assertEquals("", await(e.scrape()));
    }

    private static String tcpPort(PromText p, String service) {
        return RedisExporterParityIT.label(p, "redis_instance_info", Map.of("service", service), "tcp_port");
    }

    @Test
    void theFutureCompletesOnTheCallersContext() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        RedisExporter e = exporter(Map.of("redis", redis("redis", r)), Duration.ZERO);
        Context caller = vertx.getOrCreateContext();
        CompletableFuture<Context> completedOn = new CompletableFuture<>();
        caller.runOnContext(v -> e.scrape().onComplete(ar -> completedOn.complete(Vertx.currentContext())));
        assertSame(caller, completedOn.get(10, TimeUnit.SECONDS));
        assertTrue(await(e.scrape()).contains("redis_up{service=\"redis\"} 1")); // and from a plain thread
    }

    @Test
    void afterCloseScrapesAreEmptyAndTheConnectionIsGone() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        RedisExporter e = exporter(Map.of("redis", redis("redis", r)), Duration.ZERO);
        scrape(e);
        await(e.close());
        assertEquals("", await(e.scrape()));
        io.rvi.testkit.Await.until("the exporter's connection is closed", Duration.ofSeconds(5), () -> {
            try (RespClient c = r.client()) {
                return !String.valueOf(c.call("CLIENT", "LIST")).contains("rvi-agent-metrics");
            }
        });
    }

    @Test
    void aScrapeIsFast() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        RedisProcess replica = harness.redis("127.0.0.2", "--replicaof", "127.0.0.1", String.valueOf(r.port()));
        RedisProcess s = harness.sentinel("127.0.0.1", r, 1);
        RedisExporter e = exporter(Map.of("redis", redis("redis", r), "replica", redis("replica", replica),
                "sentinel", service("sentinel", AgentConfig.Kind.SENTINEL, s.host(), s.port(), null, Duration.ofSeconds(1))),
                Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            scrape(e); // warm up
        }
        long[] micros = new long[50];
        int length = 0;
        for (int i = 0; i < micros.length; i++) {
            long t0 = System.nanoTime();
            length = await(e.scrape()).length();
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        java.util.Arrays.sort(micros);
        System.out.println("RedisExporter.scrape() of a master, a replica and a Sentinel (" + length + " chars): median "
                + micros[25] + " us, max " + micros[49] + " us");
        assertTrue(micros[25] < 50_000, "median " + micros[25] + " us");
    }

    @Test
    void aKilledConnectionIsMadeAgainWithoutAGap() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        RedisExporter e = exporter(Map.of("redis", redis("redis", r)), Duration.ZERO);
        assertEquals(1, up(scrape(e), "redis"));
        try (RespClient c = r.client()) {
            Matcher m = Pattern.compile("id=(\\d+) [^\\n]*name=rvi-agent-metrics ").matcher(String.valueOf(c.call("CLIENT", "LIST")));
            assertTrue(m.find());
            assertEquals(1L, c.call("CLIENT", "KILL", "ID", m.group(1)));
        }
        assertEquals(1, up(scrape(e), "redis"));
        assertTrue(logs.lines().stream().noneMatch(l -> l.contains("cannot read")), logs.lines().toString());
    }

    /** The whole agent /metrics body: the registry's text, then these families; valid as one exposition. */
    @Test
    void servedInTheAgentsMetrics() throws Exception {
        RedisProcess r = harness.redis("127.0.0.1");
        RedisProcess s = harness.sentinel("127.0.0.1", r, 1);
        RedisExporter e = exporter(Map.of("redis", redis("redis", r),
                "sentinel", service("sentinel", AgentConfig.Kind.SENTINEL, s.host(), s.port(), null, Duration.ofSeconds(1))),
                RedisExporter.DEFAULT_MAX_AGE);
        try (io.rvi.agent.metrics.AgentMetrics metrics = new io.rvi.agent.metrics.AgentMetrics()) {
            io.rvi.agent.core.StateHolder state = new io.rvi.agent.core.StateHolder("agent-1", "main", "127.0.0.1", "test", Clock.SYSTEM);
            io.rvi.agent.http.AgentHttpServer http = new io.rvi.agent.http.AgentHttpServer(vertx,
                    new AgentConfig.Http("127.0.0.1", 0, 1024, null, null, null), state, metrics.registry(), () -> true);
            http.addExposition(e::scrape);
            await(http.start());
            try {
                java.net.http.HttpResponse<String> resp = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, resp.statusCode());
                String body = resp.body();
                PromText p = PromText.parse(body);
                assertEquals(List.of(), p.problems, body);
                assertTrue(p.families.containsKey("jvm_memory_used_bytes"));
                assertEquals(1, up(p, "redis"));
                assertEquals(1, up(p, "sentinel"));
                assertEquals(1, p.family("redis_sentinel_masters").value(Map.of("service", "sentinel")));
                String lint = ExternalExporter.promtool(body, harness.root());
                assertTrue(lint == null || lint.isEmpty() || lint.startsWith("promtool exit 3"), lint); // 1: did not parse
            } finally {
                await(http.stop());
            }
        }
    }

    @Test
    void nothingListening() throws Exception {
        int port = FreePorts.free();
        RedisExporter e = exporter(Map.of("redis", service("redis", AgentConfig.Kind.REDIS, "127.0.0.1", port, null,
                Duration.ofSeconds(1))), Duration.ZERO);
        PromText p = scrape(e);
        assertEquals(List.of("redis_up"), List.copyOf(p.families.keySet()));
        assertEquals(0, up(p, "redis"));
    }
}
