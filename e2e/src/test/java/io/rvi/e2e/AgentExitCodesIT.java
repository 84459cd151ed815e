package io.rvi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shipped jar, run as systemd would: each startup failure exits with its own code and says why. */
class AgentExitCodesIT {
    record Run(int code, String output) {}

    private Run agent(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + EstateFixture.jvmOptions(), "-jar", EstateFixture.agentJar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("agent did not exit: " + cmd);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Path config(Path dir, String yaml) throws IOException {
        Path f = dir.resolve("agent.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private String minimal(Path dir, int port) {
        return """
                agent:
                  state_dir: %s
                  log_dir: %s
                http:
                  port: %d
                """.formatted(dir.resolve("state"), dir.resolve("log"), port);
    }

    @Test
    void checkConfigSaysOkForTheShippedExampleShapeAndExits0() throws Exception {
        Path dir = EstateFixture.workDir("exit0");
        Run r = agent("check-config", "--config", config(dir, minimal(dir, 0)).toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains(": ok"), r.output());
    }

    @Test
    void anInvalidConfigExits2AndNamesFileLineAndKey() throws Exception {
        Path dir = EstateFixture.workDir("exit2");
        Path f = config(dir, minimal(dir, 0) + "services:\n  redis:\n    address: nowhere\n");
        for (String sub : List.of("check-config", "run")) {
            Run r = agent(sub, "--config", f.toString());
            assertEquals(2, r.code(), r.output());
            assertTrue(r.output().contains(f + ":8: services.redis.address: got \"nowhere\""), r.output());
        }
    }

    @Test
    void aPortInUseExits3() throws Exception {
        Path dir = EstateFixture.workDir("exit3");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Run r = agent("run", "--config", config(dir, minimal(dir, taken.getLocalPort())).toString());
            assertEquals(3, r.code(), r.output());
            assertTrue(r.output().contains(String.valueOf(taken.getLocalPort())), r.output());
        }
    }

    @Test
    void aMissingBinaryExits4() throws Exception {
        Path dir = EstateFixture.workDir("exit4");
        Run r = agent("run", "--config", config(dir, minimal(dir, 0)
                + "services:\n  redis:\n    address: 127.0.0.1:1\n    supervise:\n      binary: /nonexistent/redis-server\n").toString());
        assertEquals(4, r.code(), r.output());
        assertTrue(r.output().contains("services.redis.supervise.binary: /nonexistent/redis-server: no such file"), r.output());
    }

    @Test
    void anUnusableStateDirExits5() throws Exception {
        Path dir = EstateFixture.workDir("exit5");
        Files.writeString(dir.resolve("afile"), "x");
        String yaml = minimal(dir, 0).replace(dir.resolve("state").toString(), dir.resolve("afile/state").toString());
        Run r = agent("run", "--config", config(dir, yaml).toString());
        assertEquals(5, r.code(), r.output());
        assertTrue(r.output().contains("agent.state_dir: " + dir.resolve("afile/state")), r.output());
    }

    @Test
    void aSecondAgentOnTheSameStateDirExits6() throws Exception {
        Path dir = EstateFixture.workDir("exit6");
        Path f = config(dir, minimal(dir, 0));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + EstateFixture.jvmOptions(),
                "-jar", EstateFixture.agentJar().toString(), "run", "--config", f.toString());
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("first.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(dir.resolve("first.out")).contains("ready") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Run r = agent("run", "--config", f.toString());
            assertEquals(6, r.code(), r.output());
            assertTrue(r.output().contains("another rvi-agent is running"), r.output());
        } finally {
            first.destroy();
            first.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
