package io.rvi.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.TempDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged {@code rvi-coordinator-*-all.jar} as a process: check-config, serve, SIGTERM. */
class ShadedJarIT {
    private Path dir;
    private Path jar;

    @BeforeEach
    void setUp() {
        String p = System.getProperty("rvi.coordinator.jar");
        Assumptions.assumeTrue(p != null && Files.exists(Path.of(p)), "skipped: the shaded jar was not built (" + p + ")");
        jar = Path.of(p);
        dir = TempDirs.create("jar");
    }

    @AfterEach
    void tearDown() {
        TempDirs.delete(dir);
    }

    private Process java(Path log, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void checksConfigServesAndStopsOnSigterm() throws Exception {
        int port = FreePorts.free();
        Files.writeString(dir.resolve("op"), "operator-token");
        Files.writeString(dir.resolve("ag"), "agent-token");
        Path config = dir.resolve("coordinator.yaml");
        Files.writeString(config, "http:\n  port: " + port + "\nauth:\n  operator_token_file: " + dir.resolve("op")
                + "\n  agent_token_file: " + dir.resolve("ag") + "\nstore:\n  path: " + dir.resolve("db/c.db") + "\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "http:\n  port: x\n");

        Process check = java(dir.resolve("check.log"), "check-config", "--config", bad.toString());
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, check.exitValue());
        assertTrue(Files.readString(dir.resolve("check.log")).contains(bad + ":2: http.port: got \"x\""));

        Path log = dir.resolve("run.log");
        Process p = java(log, "--config", config.toString());
        try {
            HttpClient http = HttpClient.newHttpClient();
            Await.until("the coordinator ready", Duration.ofSeconds(60), () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }, () -> read(log));
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
            assertEquals(143, p.exitValue(), "ended by SIGTERM after a clean stop\n" + read(log));
            assertTrue(read(log).contains("stopped"), read(log));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
