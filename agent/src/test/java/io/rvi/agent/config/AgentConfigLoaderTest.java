package io.rvi.agent.config;

import static io.rvi.agent.config.AgentConfigFixturesTest.fixtures;
import static io.rvi.agent.config.AgentConfigFixturesTest.loader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Good configs load into the values they say; absent keys take the documented defaults. */
class AgentConfigLoaderTest {

    private static Path good(String name) {
        return fixtures().resolve("good").resolve(name);
    }

    @Test
    void theFullExampleLoadsEveryValue() throws Exception {
        AgentConfig c = loader(Map.of()).load(good("full.yaml"));
        assertEquals(good("full.yaml"), c.file());
        assertEquals(new AgentConfig.Agent("redis-1", "main", "10.0.0.11", Path.of("/var/lib/rvi/agent"), Path.of("/var/log/rvi")), c.agent());

        assertEquals("0.0.0.0", c.http().bind());
        assertEquals(9650, c.http().port());
        assertEquals(128 * 1024, c.http().maxBodyBytes());
        assertTrue(c.http().token().matches("api-token-abc123"));
        assertTrue(c.http().tls());
        assertEquals(Path.of("/etc/rvi/tls/agent.crt"), c.http().tlsCertFile());
        assertEquals(Path.of("/etc/rvi/tls/agent.key"), c.http().tlsKeyFile());

        assertEquals(new AgentConfig.Logging(AgentConfig.LogFormat.JSON, "debug"), c.logging());

        assertEquals(List.of("http://10.0.0.5:9600", "https://coord.example:9600"), c.coordinator().urls());
        assertTrue(c.coordinator().token().matches("agent-token-def456"));
        assertEquals(Duration.ofSeconds(5), c.coordinator().heartbeatInterval());
        assertEquals(Duration.ofSeconds(3), c.coordinator().requestTimeout());
        assertEquals(50_000, c.coordinator().outboxMaxEvents());
        assertEquals(100, c.coordinator().batchSize());

        assertEquals(new AgentConfig.Supervision(Duration.ofMillis(500), Duration.ofMinutes(1), 4, Duration.ofMinutes(3),
                Duration.ofSeconds(15), true, Path.of("/bin/systemctl"), Duration.ofSeconds(1)), c.supervision());
        assertEquals(new AgentConfig.Metrics(Duration.ofSeconds(15), List.of(Path.of("/var/lib/redis"), Path.of("/var/lib/rvi"))), c.metrics());

        assertEquals(List.of("redis", "sentinel", "cache"), List.copyOf(c.services().keySet()));
        AgentConfig.Service redis = c.services().get("redis");
        assertEquals(AgentConfig.Kind.REDIS, redis.kind());
        assertEquals(new HostPort("127.0.0.1", 6379), redis.address());
        assertTrue(redis.password().matches("redis-pass-ghi789"));
        assertEquals(AgentConfig.Mode.SPAWN, redis.mode());
        assertEquals(Path.of("/usr/bin/redis-server"), redis.binary());
        assertEquals(List.of("/etc/rvi/redis.conf", "--save", ""), redis.args());
        assertEquals(Path.of("/var/lib/redis"), redis.workDir());
        assertEquals(Duration.ofSeconds(2), redis.probeInterval());
        assertEquals(Duration.ofMillis(500), redis.probeTimeout());
        assertEquals(5, redis.unhealthyAfter());

        AgentConfig.Service sentinel = c.services().get("sentinel");
        assertEquals(AgentConfig.Kind.SENTINEL, sentinel.kind());
        assertEquals(AgentConfig.Mode.SYSTEMD, sentinel.mode());
        assertEquals("redis-sentinel.service", sentinel.unit());
        assertNull(sentinel.password());

        AgentConfig.Service cache = c.services().get("cache");
        assertEquals(AgentConfig.Kind.REDIS, cache.kind());
        assertEquals(new HostPort("::1", 6380), cache.address());
        assertEquals(AgentConfig.Mode.NONE, cache.mode());
    }

    @Test
    void secretsNeverShowInTheLoadedConfig() throws Exception {
        String text = loader(Map.of()).load(good("full.yaml")).toString();
        for (String secret : List.of("api-token-abc123", "agent-token-def456", "redis-pass-ghi789")) {
            assertFalse(text.contains(secret), "secret in toString(): " + text);
        }
    }

    @Test
    void aMinimalConfigTakesTheDefaults() throws Exception {
        AgentConfig c = loader(Map.of()).load(good("minimal.yaml"));
        assertEquals(new AgentConfig.Agent("testhost", "default", "127.0.0.1", Path.of("/var/lib/rvi/agent"), Path.of("/var/log/rvi")),
                c.agent());
        assertEquals(new AgentConfig.Http("127.0.0.1", 9650, 64 * 1024, null, null, null), c.http());
        assertFalse(c.http().tls());
        assertEquals(new AgentConfig.Logging(AgentConfig.LogFormat.TEXT, "info"), c.logging());
        assertEquals(new AgentConfig.Coordinator(List.of(), null, Duration.ofSeconds(5), Duration.ofSeconds(5), 100_000, 200),
                c.coordinator());
        assertEquals(new AgentConfig.Supervision(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(2),
                Duration.ofSeconds(10), false, Path.of("/usr/bin/systemctl"), Duration.ofSeconds(2)), c.supervision());
        assertEquals(new AgentConfig.Metrics(Duration.ofSeconds(10), List.of()), c.metrics());

        AgentConfig.Service redis = c.services().get("redis");
        assertEquals(new AgentConfig.Service("redis", AgentConfig.Kind.REDIS, new HostPort("127.0.0.1", 6379), null,
                AgentConfig.Mode.SPAWN, Path.of("/usr/bin/redis-server"), List.of(), null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 3), redis);
    }

    @Test
    void anEmptyConfigIsAllDefaultsWithoutServices() throws Exception {
        AgentConfig c = loader(Map.of()).load(good("empty.yaml"));
        assertEquals(9650, c.http().port());
        assertTrue(c.services().isEmpty());
    }

    @Test
    void environmentVariablesAndTheirDefaultsAreInterpolated() throws Exception {
        AgentConfig c = loader(Map.of("RVI_AGENT_ID", "redis-7", "RVI_HOST", "10.1.2.3", "RVI_REDIS_PORT", "6390"))
                .load(good("env-defaults.yaml"));
        assertEquals("redis-7", c.agent().id());
        assertEquals("main", c.agent().cluster());
        assertEquals("10.1.2.3", c.agent().host());
        assertEquals(9650, c.http().port());
        assertEquals("127.0.0.1", c.http().bind());
        assertEquals(List.of(Path.of("/var/lib/redis"), Path.of("/srv/$weird")), c.metrics().diskPaths());
        assertEquals(new HostPort("127.0.0.1", 6390), c.services().get("redis").address());
    }

    @Test
    void setVariablesWinOverDefaults() throws Exception {
        AgentConfig c = loader(Map.of("RVI_AGENT_ID", "a", "RVI_REDIS_PORT", "1", "RVI_HTTP_PORT", "9999", "RVI_CLUSTER", "blue",
                "RVI_DATA", "/data", "RVI_REDIS_HOST", "10.0.0.9")).load(good("env-defaults.yaml"));
        assertEquals(9999, c.http().port());
        assertEquals("blue", c.agent().cluster());
        assertEquals(List.of(Path.of("/data"), Path.of("/srv/$weird")), c.metrics().diskPaths());
        assertEquals(new HostPort("10.0.0.9", 1), c.services().get("redis").address());
    }

    @Test
    void logLevelIsCaseInsensitiveAndKeptInLowerCase() throws Exception {
        assertEquals("debug", loader(Map.of()).load(good("full.yaml")).logging().level());
    }
}
