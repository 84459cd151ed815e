package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisionPidFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesReadsAndDeletes() throws Exception {
        PidFiles files = new PidFiles(dir.resolve("run"));
        assertNull(files.read("redis"));
        PidRecord r = new PidRecord(123, 1_700_000_000_000L, "/usr/bin/redis-server", "/usr/bin/redis-check-rdb", "127.0.0.1:6379",
                PidRecord.hashArgs(List.of("--requirepass", "topsecret")));
        files.write("redis", r);
        assertEquals(r, files.read("redis"));
        String json = Files.readString(dir.resolve("run/redis.pid"));
        assertTrue(json.contains("\"pid\":123"), json);
        assertFalse(json.contains("topsecret"), "arguments are stored only as a hash");
        files.deleteIfPid("redis", 124);
        assertEquals(r, files.read("redis"), "names another pid: kept");
        files.deleteIfPid("redis", 123);
        assertNull(files.read("redis"));
        files.delete("redis");
    }

    @Test
    void malformedOrIncompleteFilesCountAsAbsent() throws Exception {
        PidFiles files = new PidFiles(dir);
        Files.writeString(dir.resolve("redis.pid"), "12345\n");
        assertNull(files.read("redis"));
        Files.writeString(dir.resolve("redis.pid"), "{\"pid\": 12}");
        assertNull(files.read("redis"));
    }

    @Test
    void missingBinariesNamesServiceAndPath() throws Exception {
        Path notExec = Files.writeString(dir.resolve("not-exec"), "x");
        AgentConfig.Service ok = Fixtures.redis("redis", "127.0.0.1", 6379, null);
        AgentConfig.Service missing = Fixtures.withBinary(Fixtures.redis("r2", "127.0.0.1", 6380, null), Path.of("/nonexistent/redis-server"));
        AgentConfig.Service plain = Fixtures.withBinary(Fixtures.redis("r3", "127.0.0.1", 6381, null), notExec);
        AgentConfig.Service sd = Fixtures.systemd("r4", "127.0.0.1", 6382, "redis.service");
        List<String> problems = Supervision.missingBinaries(Map.of("redis", ok, "r2", missing, "r3", plain, "r4", sd));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.contains("service r2: binary /nonexistent/redis-server does not exist"), problems.toString());
        assertTrue(problems.contains("service r3: binary " + notExec + " is not an executable file"), problems.toString());
    }
}
