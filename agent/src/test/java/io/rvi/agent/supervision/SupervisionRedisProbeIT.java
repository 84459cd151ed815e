package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.redis.ProbeResult;
import io.rvi.agent.redis.RedisProbe;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.rvi.testkit.RespClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisProbe} on its own: one kept connection, AUTH, time limits, error replies, close. */
class SupervisionRedisProbeIT {
    private static final String PASSWORD = "pr0be-s3cret-value";
    /** Generous, so that a cold JVM's first connection is not taken for a silent server. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(500);
    private RedisHarness harness;
    private Vertx vertx;
    private Context context;

    @BeforeEach
    void setUp() {
        harness = new RedisHarness();
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void keepsOneAuthenticatedConnectionAndRemakesItWhenItBreaks() {
        RedisProcess redis = harness.redis("127.0.0.1");
        try (RespClient admin = redis.client()) {
            admin.call("CONFIG", "SET", "requirepass", PASSWORD);
            admin.call("AUTH", PASSWORD);
            RedisProbe probe = probe(redis, PASSWORD);
            for (int i = 0; i < 5; i++) {
                assertEquals(new ProbeResult(true, true, true, "master", null), probe(probe));
            }
            assertEquals(1, otherClients(admin), "one connection kept between probes");
            admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            // the next probe may still find the killed connection: it is re-made (and authenticated) at once
            assertEquals(new ProbeResult(true, true, true, "master", null), probe(probe));
            assertEquals(new ProbeResult(true, true, true, "master", null), probe(probe));
            assertEquals(1, otherClients(admin));
            onContext(() -> {
                probe.close();
                return Future.succeededFuture();
            });
            assertEquals(ProbeResult.down("probe closed"), probe(probe));
            Await.until("the probe's connection is closed", Duration.ofSeconds(5), () -> otherClients(admin) == 0);
        }
    }

    @Test
    void wrongPasswordIsAnsweredButRefusedAndLeavesNoConnection() {
        RedisProcess redis = harness.redis("127.0.0.1");
        try (RespClient admin = redis.client()) {
            admin.call("CONFIG", "SET", "requirepass", PASSWORD);
            admin.call("AUTH", PASSWORD);
            RedisProbe probe = probe(redis, "wrong");
            for (int i = 0; i < 3; i++) {
                ProbeResult r = probe(probe);
                assertTrue(r.connected() && r.answered() && !r.healthy(), r.toString());
                assertEquals("AUTH refused: WRONGPASS", r.error());
                assertFalse(r.toString().contains("wrong"), "no password in the result");
            }
            Await.until("refused connections are closed", Duration.ofSeconds(5), () -> otherClients(admin) == 0);
        }
    }

    @Test
    void nothingListeningIsDown() {
        int port = FreePorts.free("127.0.0.1");
        ProbeResult r = probe(new RedisProbe(vertx, new HostPort("127.0.0.1", port), null));
        assertFalse(r.portInUse(), r.toString());
        assertTrue(r.error() != null && r.error().contains("refused"), r.toString());
    }

    @Test
    void stoppedProcessIsSilentWithinTheTimeoutAndHealthyOnceItRunsAgain() throws Exception {
        RedisProcess redis = harness.redis("127.0.0.1");
        RedisProbe kept = probe(redis, null);
        assertTrue(probe(kept).healthy());
        signal("STOP", redis.pid());
        try {
            RedisProbe fresh = probe(redis, null);
            for (RedisProbe p : List.of(kept, fresh, kept, fresh)) {
                long start = System.nanoTime();
                ProbeResult r = onContext(() -> p.probe(SHORT));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(ProbeResult.silent("no reply within 500 ms"), r);
                assertTrue(r.portInUse());
                assertTrue(ms < 1500, "bounded by the timeout: " + ms + " ms");
            }
        } finally {
            signal("CONT", redis.pid());
        }
        assertEquals(new ProbeResult(true, true, true, "master", null), probe(kept));
        try (RespClient admin = redis.client()) {
            Await.until("only the kept connection is left", Duration.ofSeconds(5), () -> otherClients(admin) == 1);
        }
    }

    @Test
    void sentinelAnswersWithItsRole() {
        RedisProcess master = harness.redis("127.0.0.1");
        RedisProcess sentinel = harness.sentinel("127.0.0.1", master, 1);
        assertEquals(new ProbeResult(true, true, true, "sentinel", null), probe(probe(sentinel, null)));
    }

    @Test
    void anErrorReplyToPingCountsAsAnswered() throws Exception {
        try (FakeRedis fake = new FakeRedis()) {
            RedisProbe probe = new RedisProbe(vertx, new HostPort("127.0.0.1", fake.port()), new Secret(PASSWORD, "test"));
            assertEquals(new ProbeResult(true, true, false, "master", "LOADING Redis is loading the dataset in memory"), probe(probe));
            assertEquals(List.of("HELLO", "PING", "ROLE"), fake.commands(), "authenticated by HELLO; PING and ROLE");
        }
    }

    @Test
    void aProbeAskedWhileOneRunsGetsTheRunningOne() {
        RedisProcess redis = harness.redis("127.0.0.1");
        RedisProbe probe = probe(redis, null);
        List<Future<ProbeResult>> both = onContext(() -> Future.succeededFuture(List.of(probe.probe(TIMEOUT), probe.probe(TIMEOUT))));
        assertSame(both.get(0), both.get(1));
        assertTrue(await(both.get(0)).healthy());
    }

    private RedisProbe probe(RedisProcess p, String password) {
        return new RedisProbe(vertx, new HostPort(p.host(), p.port()), password == null ? null : new Secret(password, "test"));
    }

    private ProbeResult probe(RedisProbe p) {
        return onContext(() -> p.probe(TIMEOUT));
    }

    private <T> T onContext(Supplier<Future<T>> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> action.get().onComplete(ar -> {
            if (ar.succeeded()) {
                f.complete(ar.result());
            } else {
                f.completeExceptionally(ar.cause());
            }
        }));
        return await(f);
    }

    private static <T> T await(Future<T> f) {
        return await(f.toCompletionStage().toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Clients connected besides {@code admin}. */
    private static int otherClients(RespClient admin) {
        String list = String.valueOf(admin.call("CLIENT", "LIST", "TYPE", "normal"));
        return (int) list.lines().filter(l -> !l.isBlank()).count() - 1;
    }

    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    /** Answers HELLO, then -LOADING to PING and a master's ROLE, like a Redis loading its dataset. */
    private static final class FakeRedis implements AutoCloseable {
        private final ServerSocket server;
        private final List<String> commands = new ArrayList<>();

        FakeRedis() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread t = new Thread(this::serve, "fake-redis");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        synchronized List<String> commands() {
            return new ArrayList<>(commands);
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    for (List<String> cmd = read(in); cmd != null; cmd = read(in)) {
                        String name = cmd.get(0).toUpperCase();
                        synchronized (this) {
                            commands.add(name);
                        }
                        String reply = switch (name) {
                            case "HELLO" -> "*2\r\n$6\r\nserver\r\n$5\r\nredis\r\n";
                            case "PING" -> "-LOADING Redis is loading the dataset in memory\r\n";
                            case "ROLE" -> "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n";
                            default -> "-ERR unknown command\r\n";
                        };
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException e) {
                    // next connection, or closed
                }
            }
        }

        private static List<String> read(InputStream in) throws IOException {
            String head = line(in);
            if (head == null) {
                return null;
            }
            int n = Integer.parseInt(head.substring(1));
            List<String> args = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = Integer.parseInt(line(in).substring(1));
                byte[] b = in.readNBytes(len + 2);
                args.add(new String(b, 0, len, StandardCharsets.UTF_8));
            }
            return args;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    return sb.toString().strip();
                }
                sb.append((char) c);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
