package io.rvi.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HostMetersTest {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HostMeters meters = new HostMeters(registry);

    static HostSample sample(double cpu, List<HostSample.Disk> disks, List<HostSample.DiskIo> io, List<HostSample.NetIo> net) {
        return new HostSample(cpu, 0.5, 0.25, 0.125, 8 * GIB, 3 * GIB, 2 * GIB, 0.5 * GIB, disks, io, net);
    }

    @Test
    void beforeTheFirstSampleHostGaugesAreNaNAndNoLabelledSeriesExist() {
        String text = registry.scrape();
        assertEquals(Double.NaN, value(text, "rvi_host_memory_total_bytes"));
        assertEquals(Double.NaN, value(text, "rvi_host_cpu_usage_ratio"));
        assertFalse(text.contains("rvi_host_disk_total_bytes{"), text);
        assertFalse(text.contains("rvi_host_network_received_bytes_total{"), text);
    }

    @Test
    void aPublishedSampleIsWhatTheScrapeShowsUnderPrometheusNames() {
        meters.publish(sample(0.42,
                List.of(new HostSample.Disk("/var/lib/redis", "/", 100 * GIB, 40 * GIB, 55 * GIB)),
                List.of(new HostSample.DiskIo("vda", 1000, 2000, 10, 20)),
                List.of(new HostSample.NetIo("eth0", 300, 400))), 1_700_000_000_500L, 25_000_000L);
        String text = registry.scrape();

        assertEquals(0.42, value(text, "rvi_host_cpu_usage_ratio"));
        assertEquals(0.5, value(text, "rvi_host_load1"));
        assertEquals(0.25, value(text, "rvi_host_load5"));
        assertEquals(0.125, value(text, "rvi_host_load15"));
        assertEquals(8 * GIB, value(text, "rvi_host_memory_total_bytes"));
        assertEquals(3 * GIB, value(text, "rvi_host_memory_available_bytes"));
        assertEquals(2 * GIB, value(text, "rvi_host_swap_total_bytes"));
        assertEquals(0.5 * GIB, value(text, "rvi_host_swap_used_bytes"));
        assertEquals(100 * GIB, value(text, "rvi_host_disk_total_bytes{mount=\"/\",path=\"/var/lib/redis\"}"));
        assertEquals(40 * GIB, value(text, "rvi_host_disk_free_bytes{mount=\"/\",path=\"/var/lib/redis\"}"));
        assertEquals(55 * GIB, value(text, "rvi_host_disk_used_bytes{mount=\"/\",path=\"/var/lib/redis\"}"));
        assertEquals(1000, value(text, "rvi_host_disk_read_bytes_total{device=\"vda\"}"));
        assertEquals(2000, value(text, "rvi_host_disk_written_bytes_total{device=\"vda\"}"));
        assertEquals(10, value(text, "rvi_host_disk_reads_total{device=\"vda\"}"));
        assertEquals(20, value(text, "rvi_host_disk_writes_total{device=\"vda\"}"));
        assertEquals(300, value(text, "rvi_host_network_received_bytes_total{interface=\"eth0\"}"));
        assertEquals(400, value(text, "rvi_host_network_sent_bytes_total{interface=\"eth0\"}"));
        assertEquals(1_700_000_000.5, value(text, "rvi_host_sample_timestamp_seconds"));
        assertEquals(0.025, value(text, "rvi_host_sample_duration_seconds"));
        assertTrue(text.contains("# TYPE rvi_host_disk_read_bytes_total counter"), text);
        assertTrue(text.contains("# TYPE rvi_host_network_sent_bytes_total counter"), text);
        assertTrue(text.contains("# TYPE rvi_host_disk_free_bytes gauge"), text);
    }

    @Test
    void laterSamplesUpdateValuesAndDropSeriesOfThingsThatAreGone() {
        meters.publish(sample(0.1,
                List.of(new HostSample.Disk("/a", "/", 10, 5, 5), new HostSample.Disk("/b", "/data", 20, 10, 10)),
                List.of(new HostSample.DiskIo("vda", 1, 1, 1, 1), new HostSample.DiskIo("vdb", 1, 1, 1, 1)),
                List.of(new HostSample.NetIo("eth0", 1, 1), new HostSample.NetIo("eth1", 1, 1))), 0, 0);
        meters.publish(sample(0.2,
                List.of(new HostSample.Disk("/a", "/", 10, 4, 6)),
                List.of(new HostSample.DiskIo("vda", 5, 6, 7, 8)),
                List.of(new HostSample.NetIo("eth0", 9, 10))), 0, 0);
        String text = registry.scrape();

        assertEquals(0.2, value(text, "rvi_host_cpu_usage_ratio"));
        assertEquals(4, value(text, "rvi_host_disk_free_bytes{mount=\"/\",path=\"/a\"}"));
        assertEquals(5, value(text, "rvi_host_disk_read_bytes_total{device=\"vda\"}"));
        assertEquals(10, value(text, "rvi_host_network_sent_bytes_total{interface=\"eth0\"}"));
        assertFalse(text.contains("path=\"/b\""), text);
        assertFalse(text.contains("device=\"vdb\""), text);
        assertFalse(text.contains("interface=\"eth1\""), text);
    }

    @Test
    void aDirectoryThatMovesToAnotherMountIsReportedUnderTheNewMountOnly() {
        meters.publish(sample(0.1, List.of(new HostSample.Disk("/var/lib/redis", "/", 10, 5, 5)), List.of(), List.of()), 0, 0);
        meters.publish(sample(0.1, List.of(new HostSample.Disk("/var/lib/redis", "/var/lib/redis", 30, 20, 10)), List.of(), List.of()), 0, 0);
        String text = registry.scrape();
        assertEquals(30, value(text, "rvi_host_disk_total_bytes{mount=\"/var/lib/redis\",path=\"/var/lib/redis\"}"));
        assertFalse(text.contains("rvi_host_disk_total_bytes{mount=\"/\""), text);
    }

    @Test
    void failuresAreCountedAndKeepTheLastValues() {
        meters.publish(sample(0.3, List.of(), List.of(), List.of()), 0, 0);
        meters.failed();
        meters.failed();
        String text = registry.scrape();
        assertEquals(2, value(text, "rvi_host_sample_errors_total"));
        assertEquals(0.3, value(text, "rvi_host_cpu_usage_ratio"));
    }

    @Test
    void closeRemovesEveryHostSeries() {
        meters.publish(sample(0.3, List.of(new HostSample.Disk("/a", "/", 1, 1, 0)), List.of(new HostSample.DiskIo("vda", 1, 1, 1, 1)),
                List.of(new HostSample.NetIo("eth0", 1, 1))), 0, 0);
        meters.close();
        assertFalse(registry.scrape().contains("rvi_host_"), registry.scrape());
    }

    /** The value of the series whose line starts with {@code series} (name plus labels), or fails. */
    static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        if (!m.find()) {
            throw new AssertionError("no series " + series + " in:\n" + exposition);
        }
        return Double.parseDouble(m.group(1));
    }
}
