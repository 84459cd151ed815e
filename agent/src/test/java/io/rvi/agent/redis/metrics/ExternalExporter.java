package io.rvi.agent.redis.metrics;

import io.rvi.testkit.Await;
import io.rvi.testkit.FreePorts;
import io.rvi.testkit.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's prometheus-redis-exporter (the Go redis_exporter 1.45) run against a test instance, on a free port
 * of 127.0.0.1, to compare with. {@link #assumeInstalled()} skips the calling test, saying why, without it.
 */
final class ExternalExporter implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("rvi.test.redis-exporter", "/usr/bin/prometheus-redis-exporter"));
    static final Path PROMTOOL = Path.of(System.getProperty("rvi.test.promtool", "/usr/bin/promtool"));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final int port;
    private final Path log;

    static void assumeInstalled() {
        if (!Files.isExecutable(BINARY)) {
            String why = "SKIPPED: the parity test needs " + BINARY + " (Debian package prometheus-redis-exporter); not found";
            System.err.println(why);
            Assumptions.abort(why);
        }
    }

    /** Starts it with {@code -include-system-metrics} against {@code target}; returns once it serves /metrics. */
    ExternalExporter(RedisProcess target, Path dir) {
        this.port = FreePorts.free();
        this.log = dir.resolve("redis_exporter-" + target.port() + ".log");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-include-system-metrics",
                "-redis.addr", "redis://" + target.address(), "-web.listen-address", "127.0.0.1:" + port));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("redis_exporter serves /metrics on " + port, Duration.ofSeconds(10), () -> {
            try {
                return get().contains("redis_up");
            } catch (RuntimeException e) {
                return false;
            }
        }, this::tail);
    }

    /** Its /metrics now. */
    String get() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code promtool check metrics} on {@code text}: its complaints, or null when promtool is not installed. */
    static String promtool(String text, Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            System.err.println("promtool not found at " + PROMTOOL + " (Debian package prometheus): the text is checked by "
                    + "the tests' own strict reader only");
            return null;
        }
        Path in = Files.writeString(dir.resolve("metrics.prom"), text);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true)
                .redirectInput(in.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "promtool did not finish";
        }
        return p.exitValue() == 0 ? "" : "promtool exit " + p.exitValue() + ":\n" + out;
    }

    private String tail() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
