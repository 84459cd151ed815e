package io.rvi.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.ConfigException;
import io.rvi.common.config.ConfigProblem;
import io.rvi.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoordinatorConfigLoaderTest {
    private final Path dir = TempDirs.create("coordcfg");

    @AfterEach
    void tearDown() {
        TempDirs.delete(dir);
    }

    private Path token(String name, String value) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, value + "\n");
        return p;
    }

    private CoordinatorConfig load(String yaml) throws Exception {
        Path f = dir.resolve("coordinator.yaml");
        Files.writeString(f, yaml);
        return new CoordinatorConfigLoader(Map.of("DIR", dir.toString())).load(f);
    }

    @Test
    void defaults() throws Exception {
        token("op", "operator-token");
        token("ag", "agent-token");
        CoordinatorConfig c = load("auth:\n  operator_token_file: ${DIR}/op\n  agent_token_file: ${DIR}/ag\n");
        assertEquals("127.0.0.1", c.http().bind());
        assertEquals(9600, c.http().port());
        assertEquals(1024 * 1024, c.http().maxBodyBytes());
        assertEquals(Path.of("/var/lib/rvi/coordinator.db"), c.store().path());
        assertEquals(Duration.ofDays(30), c.store().eventRetention());
        assertEquals(1_000_000, c.store().maxEvents());
        assertEquals(3, c.fleet().staleAfterHeartbeats());
        assertEquals(CoordinatorConfig.LogFormat.TEXT, c.logging().format());
        assertEquals("info", c.logging().level());
        assertTrue(c.auth().operatorToken().matches("operator-token"));
        assertTrue(c.auth().agentToken().matches("agent-token"));
        assertTrue(c.auth().agentTokens().isEmpty());
    }

    @Test
    void everything() throws Exception {
        token("op", "operator-token");
        token("a1", "t1");
        token("a2", "t2");
        CoordinatorConfig c = load("""
                http:
                  bind: 0.0.0.0
                  port: 9700
                  max_body_bytes: 2MiB
                auth:
                  operator_token_file: ${DIR}/op
                  agent_tokens:
                    redis-1: ${DIR}/a1
                    redis-2: ${DIR}/a2
                store:
                  path: /srv/rvi/c.db
                  event_retention: 7d
                  max_events: 5000
                fleet:
                  stale_after_heartbeats: 5
                logging:
                  format: json
                  level: debug
                """);
        assertEquals(9700, c.http().port());
        assertEquals(2 * 1024 * 1024, c.http().maxBodyBytes());
        assertNull(c.auth().agentToken());
        assertEquals(List.of("redis-1", "redis-2"), List.copyOf(c.auth().agentTokens().keySet()));
        assertTrue(c.auth().agentTokens().get("redis-2").matches("t2"));
        assertEquals(Duration.ofDays(7), c.store().eventRetention());
        assertEquals(5000, c.store().maxEvents());
        assertEquals(5, c.fleet().staleAfterHeartbeats());
        assertEquals(CoordinatorConfig.LogFormat.JSON, c.logging().format());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLine() throws Exception {
        token("op", "same");
        token("ag", "same");
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                http:
                  port: 70000
                  colour: blue
                auth:
                  operator_token_file: ${DIR}/op
                  agent_token_file: ${DIR}/ag
                  agent_tokens:
                    "bad id": ${DIR}/missing
                store:
                  event_retention: soon
                fleet:
                  stale_after_heartbeats: 0
                logging:
                  level: loud
                extra: 1
                """));
        List<String> lines = e.problems().stream().map(ConfigProblem::toString).toList();
        String all = String.join("\n", lines);
        assertTrue(all.contains(":2: http.port: got \"70000\""), all);
        assertTrue(all.contains(":3: http.colour: unknown key"), all);
        assertTrue(all.contains("auth.agent_token_file") && all.contains("same token"), all);
        assertTrue(all.contains(":8: auth.agent_tokens.bad id: agent id"), all);
        assertTrue(all.contains("auth.agent_tokens.bad id: got \"" + dir + "/missing\"; the file cannot be read"), all);
        assertTrue(all.contains(":10: store.event_retention: got \"soon\""), all);
        assertTrue(all.contains(":12: fleet.stale_after_heartbeats"), all);
        assertTrue(all.contains(":14: logging.level: got \"loud\""), all);
        assertTrue(all.contains(":15: extra: unknown key"), all);
        assertTrue(lines.stream().noneMatch(l -> l.contains("same\"")), "token values never appear: " + all);
    }

    @Test
    void tokensAreRequired() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("http:\n  port: 9600\n"));
        String all = e.getMessage();
        assertTrue(all.contains("auth.operator_token_file: required"), all);
        assertTrue(all.contains("auth.agent_token_file: required unless auth.agent_tokens is set"), all);
    }

    @Test
    void theExampleConfigIsValid() throws Exception {
        Path example = Path.of("..", "config", "coordinator.yaml");
        String text = Files.readString(example);
        token("coordinator-operator.token", "operator-token");
        token("coordinator-agent.token", "agent-token");
        Files.writeString(dir.resolve("coordinator.yaml"), text.replace("/etc/rvi/", dir + "/"));
        CoordinatorConfig c = new CoordinatorConfigLoader(Map.of()).load(dir.resolve("coordinator.yaml"));
        assertEquals(9600, c.http().port());
        assertEquals(Path.of("/var/lib/rvi/coordinator.db"), c.store().path());
    }
}
