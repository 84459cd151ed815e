package io.rvi.agent.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.agent.haproxy.HaproxyCommands.AdminState;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.HaproxyProcess;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runtime API client against a real haproxy with a write backend of three real redis servers. */
class HaproxyClientIT {
    private RedisHarness redis;
    private HaproxyProcess haproxy;
    private Vertx vertx;
    private WorkerExecutor worker;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HaproxyClient client;
    private int frontend;
    private int tcpApi;

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    @BeforeEach
    void start() {
        HaproxyProcess.assumeAvailable();
        redis = new RedisHarness();
        RedisProcess r1 = redis.redis("127.0.0.1");
        RedisProcess r2 = redis.redis("127.0.0.1");
        RedisProcess r3 = redis.redis("127.0.0.1");
        frontend = FreePorts.free();
        tcpApi = FreePorts.free();
        String cfg = HaproxyProcess.globalAndDefaults().replace("level admin", "level admin\n    stats socket ipv4@127.0.0.1:"
                + tcpApi + " level admin") + """
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend redis_write
                backend redis_write
                    server r1 %s check inter 1s
                    server r2 %s check inter 1s
                    server r3 %s check inter 1s
                """.formatted(frontend, r1.address(), r2.address(), r3.address());
        haproxy = HaproxyProcess.start(redis.newDir("haproxy"), cfg);
        vertx = Vertx.vertx();
        worker = vertx.createSharedWorkerExecutor("test-haproxy", 2);
        client = client(haproxy.socket().toString());
    }

    HaproxyClient client(String target) {
        return new HaproxyClient(new HaproxyRuntimeApi(vertx, worker, RuntimeApiTarget.parse(target), Duration.ofSeconds(1)), registry);
    }

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.close();
        }
    }

    HaproxyServer server(String name) throws Exception {
        return await(client.showServersState("redis_write")).stream().filter(s -> s.server().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void switchesServersAndShowServersStateConfirms() throws Exception {
        List<HaproxyServer> all = await(client.showServersState("redis_write"));
        assertEquals(List.of("r1", "r2", "r3"), all.stream().map(HaproxyServer::server).toList());
        assertTrue(all.stream().noneMatch(HaproxyServer::maint));

        await(client.setState("redis_write", "r1", AdminState.MAINT));
        await(client.shutdownSessions("redis_write", "r1"));
        assertTrue(server("r1").maint());
        await(client.setState("redis_write", "r2", AdminState.DRAIN));
        assertTrue(server("r2").drain());
        await(client.setState("redis_write", "r2", AdminState.READY));
        await(client.setHealth("redis_write", "r2", true));
        HaproxyServer r2 = server("r2");
        assertFalse(r2.maint());
        assertTrue(r2.routable());
        await(client.setState("redis_write", "r1", AdminState.READY));
        assertFalse(server("r1").maint());
        assertEquals(11.0, registry.get("rvi.haproxy.commands").tag("outcome", "success").counter().count(), 0.0);
    }

    @Test
    void tcpRuntimeApiToo() throws Exception {
        HaproxyClient tcp = client("127.0.0.1:" + tcpApi);
        await(tcp.setState("redis_write", "r3", AdminState.MAINT));
        assertTrue(server("r3").maint());
    }

    @Test
    void unknownBackendOrServerGivesHaproxysReply() {
        HaproxyRefused e = assertInstanceOf(HaproxyRefused.class,
                assertThrowsAny(() -> await(client.setState("redis_write", "nope", AdminState.MAINT))));
        assertEquals("No such server.", e.reply());
        e = assertInstanceOf(HaproxyRefused.class, assertThrowsAny(() -> await(client.setState("nope", "r1", AdminState.MAINT))));
        assertEquals("No such backend.", e.reply());
        e = assertInstanceOf(HaproxyRefused.class, assertThrowsAny(() -> await(client.showServersState("nope"))));
        assertEquals("Can't find backend.", e.reply());
        assertEquals(3.0, registry.get("rvi.haproxy.commands").tag("outcome", "refused").counter().count(), 0.0);
    }

    @Test
    void missingSocketAndRefusedConnectionSayWhat() throws Exception {
        Path missing = haproxy.dir().resolve("nothing.sock");
        HaproxyUnreachable e = assertInstanceOf(HaproxyUnreachable.class,
                assertThrowsAny(() -> await(client(missing.toString()).showServersState("redis_write"))));
        assertTrue(e.getMessage().contains("socket missing: " + missing), e.getMessage());

        Path stale = haproxy.dir().resolve("stale.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
        } // closed: the file stays, nobody listens
        e = assertInstanceOf(HaproxyUnreachable.class, assertThrowsAny(() -> await(client(stale.toString()).showServersState("redis_write"))));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());

        e = assertInstanceOf(HaproxyUnreachable.class,
                assertThrowsAny(() -> await(client("127.0.0.1:" + FreePorts.free()).showServersState("redis_write"))));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertEquals(3.0, registry.get("rvi.haproxy.commands").tag("outcome", "unreachable").counter().count(), 0.0);
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        Path silent = haproxy.dir().resolve("silent.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(silent));
            long t0 = System.nanoTime();
            HaproxyUnreachable e = assertInstanceOf(HaproxyUnreachable.class,
                    assertThrowsAny(() -> await(client(silent.toString()).showServersState("redis_write"))));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.timeout(), e.getMessage());
            assertTrue(ms >= 900 && ms < 5000, "took " + ms + " ms");
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static Throwable assertThrowsAny(Call c) {
        try {
            c.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }
}
