package io.rvi.agent.metrics;

import static io.rvi.agent.metrics.HostMetersTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host metrics read with the real OSHI on this (Linux) machine. */
class HostMetricsIT {
    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor worker = vertx.createSharedWorkerExecutor("it-host", 1);
    private final AgentMetrics metrics = new AgentMetrics();
    private HostMetrics host;

    @TempDir
    Path dataDir;

    @AfterEach
    void close() throws Exception {
        if (host != null) {
            host.stop();
        }
        metrics.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theExpositionHasSaneHostFiguresForThisMachine() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "host metrics are checked on Linux only");
        Path missing = dataDir.resolve("not-created");
        host = new HostMetrics(vertx, metrics.registry(), new AgentConfig.Metrics(Duration.ofHours(1), List.of(dataDir, missing)),
                worker, Clock.SYSTEM);
        host.start();
        await(host.sampleNow());
        Thread.sleep(300); // CPU usage is measured between two readings
        await(host.sampleNow());
        String text = metrics.scrape();
        String hostLines = String.join("\n", text.lines().filter(l -> l.startsWith("rvi_host_")).toList());
        System.out.println("HostMetricsIT sample:\n" + hostLines);

        double cpu = value(text, "rvi_host_cpu_usage_ratio");
        assertTrue(cpu >= 0 && cpu <= 1, "cpu " + cpu);
        assertTrue(value(text, "rvi_host_load1") >= 0);
        assertTrue(value(text, "rvi_host_load15") >= 0);
        double total = value(text, "rvi_host_memory_total_bytes");
        double available = value(text, "rvi_host_memory_available_bytes");
        assertTrue(total > 64.0 * 1024 * 1024, "memory total " + total);
        assertTrue(available > 0 && available <= total, "memory available " + available);
        assertTrue(value(text, "rvi_host_swap_total_bytes") >= 0);
        assertTrue(value(text, "rvi_host_swap_used_bytes") >= 0);

        String labels = "{mount=\"" + mountOf(dataDir) + "\",path=\"" + dataDir + "\"}";
        double diskTotal = value(text, "rvi_host_disk_total_bytes" + labels);
        double diskFree = value(text, "rvi_host_disk_free_bytes" + labels);
        double diskUsed = value(text, "rvi_host_disk_used_bytes" + labels);
        assertTrue(diskTotal > 0 && diskFree >= 0 && diskFree <= diskTotal && diskUsed >= 0 && diskUsed <= diskTotal,
                "disk " + diskTotal + " / " + diskFree + " / " + diskUsed);
        long javaTotal = Files.getFileStore(dataDir).getTotalSpace();
        assertEquals(javaTotal, diskTotal, javaTotal * 0.01, "same size as the JDK reports");
        assertFalse(text.contains("path=\"" + missing + "\""), "a missing directory is skipped");

        for (String iface : interfaces()) {
            assertTrue(value(text, "rvi_host_network_received_bytes_total{interface=\"" + iface + "\"}") >= 0);
            assertTrue(value(text, "rvi_host_network_sent_bytes_total{interface=\"" + iface + "\"}") >= 0);
        }
        assertFalse(text.contains("interface=\"lo\""), "loopback is not reported");
        Matcher devices = Pattern.compile("(?m)^rvi_host_disk_read_bytes_total\\{device=\"([^\"]+)\"} (\\S+)$").matcher(text);
        while (devices.find()) {
            assertFalse(devices.group(1).startsWith("loop") || devices.group(1).startsWith("/dev/"), devices.group(1));
            assertTrue(Double.parseDouble(devices.group(2)) >= 0);
            assertTrue(value(text, "rvi_host_disk_writes_total{device=\"" + devices.group(1) + "\"}") >= 0);
        }
        assertTrue(value(text, "rvi_host_sample_timestamp_seconds") > 1.6e9);
        assertEquals(0, value(text, "rvi_host_sample_errors_total"));
    }

    /** Non-loopback interfaces that the kernel says are up. */
    private static List<String> interfaces() throws IOException {
        Path net = Path.of("/sys/class/net");
        if (!Files.isDirectory(net)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(net)) {
            return s.filter(p -> !p.getFileName().toString().equals("lo") && operState(p).equals("up"))
                    .map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String operState(Path iface) {
        try {
            return Files.readString(iface.resolve("operstate")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The longest mount point from /proc/self/mounts that holds {@code dir}. */
    private static String mountOf(Path dir) throws IOException {
        Path real = dir.toRealPath();
        String best = "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String mount = line.split(" ")[1].replace("\\040", " ");
            if (real.startsWith(Path.of(mount)) && mount.length() > best.length()) {
                best = mount;
            }
        }
        return best;
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

}
