package io.rvi.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Assumptions;

/** Builds estates for the e2e tests from the jars the reactor just built. */
final class EstateFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    private EstateFixture() {}

    static Path agentJar() {
        return jar("rvi.agent.jar");
    }

    static Path coordinatorJar() {
        return jar("rvi.coordinator.jar");
    }

    static Path jvmOptions() {
        return Path.of(System.getProperty("rvi.agent.jvmopts", "../config/agent.jvmopts"));
    }

    static void assumeRedis() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")) && Files.isExecutable(Path.of("/usr/bin/redis-sentinel")),
                "skipped: /usr/bin/redis-server or /usr/bin/redis-sentinel is not installed (scripts/setup installs them)");
    }

    static Path workDir(String name) throws IOException {
        Path base = Path.of(System.getProperty("rvi.work.dir", "target/e2e-work"));
        Path d = base.resolve(name + "-" + System.nanoTime());
        return Files.createDirectories(d).toAbsolutePath();
    }

    static Estate start(String name, List<String> hosts) throws Exception {
        assumeRedis();
        return Estate.start(new Estate.Options(workDir(name), hosts, agentJar(), coordinatorJar(), jvmOptions(), FreePort.on("127.0.0.1"),
                null, false, "mymaster", null));
    }

    /** An estate with HAProxy in front (write and read frontends on free ports). */
    static Estate startWithHaproxy(String name, List<String> hosts) throws Exception {
        assumeRedis();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")),
                "skipped: /usr/sbin/haproxy is not installed (scripts/setup installs it)");
        return Estate.start(new Estate.Options(workDir(name), hosts, agentJar(), coordinatorJar(), jvmOptions(), FreePort.on("127.0.0.1"),
                null, false, "mymaster", new int[] {FreePort.on("127.0.0.1"), FreePort.on("127.0.0.1")}));
    }

    static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    static JsonNode status(Estate e, int host) throws Exception {
        var r = e.getFromAgent(host, "/status");
        if (r.statusCode() != 200) {
            fail("/status of host " + host + " answered " + r.statusCode());
        }
        return json(r.body());
    }

    static JsonNode service(JsonNode status, String name) {
        for (JsonNode s : status.path("services")) {
            if (name.equals(s.path("name").asText())) {
                return s;
            }
        }
        return null;
    }

    /** Polls until {@code check} returns true, or fails with {@code what}. */
    static void await(String what, Duration timeout, Callable<Boolean> check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(check.call())) {
                    return;
                }
            } catch (Exception ex) {
                last = ex;
            }
            Thread.sleep(100);
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting for: " + what + (last == null ? "" : " (last error: " + last + ")"));
    }

    private static Path jar(String property) {
        String p = System.getProperty(property);
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            fail(property + " does not name a built jar (" + p + "): run the e2e tests through `mvn verify` from the root");
        }
        return Path.of(p);
    }
}
