package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisionSpawnCommandTest {
    private final AgentConfig.Agent agent = Fixtures.agent(Path.of("/var/lib/rvi-test"));

    @Test
    void addressComesAfterTheConfiguredArguments() {
        AgentConfig.Service s = Fixtures.redis("redis", "127.0.0.2", 6390, null, "/etc/redis/redis.conf", "--maxmemory", "1gb");
        assertEquals(List.of("/usr/bin/redis-server", "/etc/redis/redis.conf", "--maxmemory", "1gb", "--port", "6390", "--bind",
                "127.0.0.2", "--daemonize", "no"), SpawnCommand.argv(s));
    }

    @Test
    void sentinelGetsItsConfigFileFirst() {
        AgentConfig.Service s = Fixtures.sentinel("sentinel", "127.0.0.1", 26379, null, Path.of("/var/lib/s1/sentinel.conf"));
        assertEquals(List.of("/usr/bin/redis-sentinel", "/var/lib/s1/sentinel.conf", "--port", "26379", "--bind", "127.0.0.1",
                "--daemonize", "no"), SpawnCommand.argv(s));
    }

    @Test
    void filesLiveUnderTheAgentDirectories() {
        AgentConfig.Service s = Fixtures.redis("redis", "127.0.0.1", 6379, null);
        assertEquals(Path.of("/var/lib/rvi-test/log/redis.log"), SpawnCommand.logFile(s, agent));
        assertEquals(Path.of("/var/lib/rvi-test/state/work/redis"), SpawnCommand.workDir(s, agent));
        assertEquals(Path.of("/var/lib/rvi-test/state/run"), SpawnCommand.runDir(agent));
        AgentConfig.Service w = Fixtures.redis("redis", "127.0.0.1", 6379, Path.of("/srv/redis"));
        assertEquals(Path.of("/srv/redis"), SpawnCommand.workDir(w, agent));
    }

    @Test
    void serviceNamesAreMadeSafeFileNames() {
        assertEquals("redis-2", SpawnCommand.fileName("redis-2"));
        assertEquals("_.._etc_passwd", SpawnCommand.fileName("../etc/passwd"));
        assertEquals("a_b", SpawnCommand.fileName("a b"));
    }

    @Test
    void exitStatusInWords() {
        assertEquals("exited with code 1", new ExitStatus(1).describe());
        assertEquals(Map.of("exit_code", 1), new ExitStatus(1).data());
        assertEquals("killed by signal 9 (SIGKILL)", new ExitStatus(137).describe());
        assertEquals(9, new ExitStatus(137).signal());
        assertEquals(Map.of("signal", 9, "signal_name", "SIGKILL"), new ExitStatus(137).data());
        assertEquals("killed by signal 15 (SIGTERM)", new ExitStatus(143).describe());
        assertEquals("exited with code 0", new ExitStatus(0).describe());
        assertTrue(new ExitStatus(null).describe().contains("unknown"));
        assertEquals(Map.of(), new ExitStatus(null).data());
    }
}
