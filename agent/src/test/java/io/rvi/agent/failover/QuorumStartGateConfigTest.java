package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.config.AgentConfigLoader;
import io.rvi.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code failover.restart_hold}: default 60s, 0s allowed (never hold), negative or malformed refused with the key. */
class QuorumStartGateConfigTest {
    @TempDir
    Path dir;

    private AgentConfig load(String restartHoldLine) throws Exception {
        Path f = dir.resolve("agent.yaml");
        Files.writeString(f, """
                services:
                  redis:
                    address: 127.0.0.1:6379
                failover:
                  master_name: mymaster
                  sentinels: [127.0.0.1:26379]
                """ + restartHoldLine);
        return new AgentConfigLoader(Map.of(), "testhost").load(f);
    }

    @Test
    void restartHoldDefaultsToSixtySeconds() throws Exception {
        assertEquals(Duration.ofSeconds(60), load("").failover().restartHold());
    }

    @Test
    void restartHoldIsRead() throws Exception {
        assertEquals(Duration.ofSeconds(90), load("  restart_hold: 90s\n").failover().restartHold());
        assertEquals(Duration.ZERO, load("  restart_hold: 0s\n").failover().restartHold());
    }

    @Test
    void aMalformedRestartHoldIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("  restart_hold: -5s\n"));
        assertTrue(e.problems().toString().contains("restart_hold"), e.problems().toString());
        ConfigException e2 = assertThrows(ConfigException.class, () -> load("  restart_hold: soon\n"));
        assertTrue(e2.problems().toString().contains("restart_hold"), e2.problems().toString());
    }
}
