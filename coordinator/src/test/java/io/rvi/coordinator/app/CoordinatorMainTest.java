package io.rvi.coordinator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.testkit.FreePorts;
import io.rvi.testkit.TempDirs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exit codes of the command line (those that end without serving). */
class CoordinatorMainTest {
    private final Path dir = TempDirs.create("coordmain");

    @AfterEach
    void tearDown() {
        TempDirs.delete(dir);
    }

    private Path config(int port, Path db) throws Exception {
        Files.writeString(dir.resolve("op"), "operator-token");
        Files.writeString(dir.resolve("ag"), "agent-token");
        Path f = dir.resolve("coordinator.yaml");
        Files.writeString(f, "http:\n  port: " + port + "\nauth:\n  operator_token_file: " + dir.resolve("op")
                + "\n  agent_token_file: " + dir.resolve("ag") + "\nstore:\n  path: " + db + "\n");
        return f;
    }

    @Test
    void checkConfig() throws Exception {
        Path ok = config(9600, dir.resolve("c.db"));
        assertEquals(0, CoordinatorMain.execute("check-config", "--config", ok.toString()));
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "http:\n  port: nope\n");
        assertEquals(2, CoordinatorMain.execute("check-config", "--config", bad.toString()));
        assertEquals(2, CoordinatorMain.execute("check-config", "--config", dir.resolve("missing.yaml").toString()));
        assertEquals(2, CoordinatorMain.execute("--config", bad.toString()), "run refuses an invalid config too");
        assertEquals(64, CoordinatorMain.execute("--no-such-option"));
    }

    @Test
    void portInUseIsExitCode3() throws Exception {
        int port = FreePorts.free();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertTrue(taken.isBound());
            assertEquals(3, CoordinatorMain.execute("run", "--config", config(port, dir.resolve("c.db")).toString()));
        }
    }

    @Test
    void storeDirectoryNotWritableIsExitCode5() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        assertEquals(5, CoordinatorMain.execute("run", "--config", config(FreePorts.free(), dir.resolve("file/db/c.db")).toString()));
    }
}
