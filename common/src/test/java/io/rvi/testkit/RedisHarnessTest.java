package io.rvi.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The testkit itself, against real processes. */
class RedisHarnessTest {
    private RedisHarness harness;

    @BeforeEach
    void setUp() {
        harness = new RedisHarness();
    }

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void startsRedisAndSentinelThatAnswer() {
        RedisProcess master = harness.redis("127.0.0.1");
        RedisProcess replica = harness.redis("127.0.0.2", "--replicaof", "127.0.0.1", String.valueOf(master.port()));
        RedisProcess sentinel = harness.sentinel("127.0.0.1", master, 1);
        try (RespClient c = master.client()) {
            assertEquals("PONG", c.ping());
            assertEquals("OK", c.set("k", "v"));
            assertEquals("v", c.get("k"));
            assertNull(c.get("missing"));
            assertEquals("master", c.role());
            assertTrue(c.info("server").contains("redis_version:"));
        }
        try (RespClient c = replica.client()) {
            assertEquals("slave", c.role());
        }
        try (RespClient c = sentinel.client()) {
            assertEquals("sentinel", c.role());
        }
        assertEquals(1, Procs.redisServersOn("127.0.0.1", master.port()));
        assertTrue(sentinel.isAlive());
    }

    @Test
    void kill9AndStopEndTheProcess() {
        RedisProcess a = harness.redis("127.0.0.1");
        RedisProcess b = harness.redis("127.0.0.1");
        assertNotEquals(a.port(), b.port());
        long pid = a.pid();
        a.kill9();
        assertFalse(Procs.alive(pid));
        assertNull(a.ping());
        b.stop();
        assertFalse(b.isAlive());
        Await.until("nothing on the port", Duration.ofSeconds(2), () -> Procs.redisServersOn("127.0.0.1", b.port()) == 0);
    }

    @Test
    void freePortsAreDistinct() {
        int p1 = FreePorts.free("127.0.0.3");
        int p2 = FreePorts.free("127.0.0.3");
        assertNotEquals(p1, p2);
    }
}
