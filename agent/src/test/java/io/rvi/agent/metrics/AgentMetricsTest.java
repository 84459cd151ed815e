package io.rvi.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    @Test
    void scrapeHasTheJvmAndProcessFamiliesUnderTheirPrometheusNames() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            String text = metrics.scrape();
            for (String name : List.of(
                    "jvm_memory_used_bytes{", "jvm_memory_max_bytes{", "jvm_memory_committed_bytes{",
                    "jvm_buffer_memory_used_bytes{", "jvm_gc_memory_allocated_bytes_total ", "jvm_gc_live_data_size_bytes ",
                    "jvm_threads_live_threads ", "jvm_threads_daemon_threads ", "jvm_threads_peak_threads ",
                    "jvm_threads_states_threads{", "jvm_classes_loaded_classes ", "jvm_classes_unloaded_classes_total ",
                    "jvm_info{", "process_cpu_usage ", "system_cpu_count ", "process_uptime_seconds ",
                    "process_start_time_seconds ", "process_files_open_files ", "process_files_max_files ")) {
                assertTrue(text.contains("\n" + name), () -> "missing " + name + " in\n" + text);
            }
            assertTrue(text.contains("# TYPE jvm_classes_unloaded_classes_total counter"), text);
        }
    }

    @Test
    void contentTypeIsPrometheusText004() {
        assertEquals("text/plain; version=0.0.4; charset=utf-8", AgentMetrics.CONTENT_TYPE);
    }
}
