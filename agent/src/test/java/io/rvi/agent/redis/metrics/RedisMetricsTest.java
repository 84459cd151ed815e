package io.rvi.agent.redis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Redis mapping on INFO and replies recorded from real Redis 7.0.15 (a master, its replica, a broken replica). */
class RedisMetricsTest {
    static final long NOW = 1_795_635_100_000L;
    private static final Map<String, String> REDIS = Map.of("service", "redis");

    static RedisMetrics.Snapshot master() {
        return new RedisMetrics.Snapshot(Recorded.text("master-info-all.txt"), Recorded.resp("master-config-databases.resp"),
                Recorded.resp("master-config-io-threads.resp"), Recorded.resp("master-slowlog-len.resp"),
                Recorded.resp("master-slowlog-get-1.resp"), Recorded.resp("master-latency-latest.resp"));
    }

    static RedisMetrics.Snapshot replica(String info) {
        return new RedisMetrics.Snapshot(Recorded.text(info), Recorded.resp("master-config-databases.resp"),
                Recorded.resp("master-config-io-threads.resp"), 0L, Recorded.resp("replica-slowlog-get-1.resp"),
                Recorded.resp("replica-latency-latest.resp"));
    }

    /** Renders, checks the text is valid exposition, reads it back. */
    static PromText rendered(List<MetricFamily> families) {
        String text = Exposition.render(families);
        PromText p = PromText.parse(text);
        assertEquals(List.of(), p.problems, text);
        return p;
    }

    static double value(PromText p, String family, String... labels) {
        Map<String, String> filter = new java.util.HashMap<>(REDIS);
        for (int i = 0; i + 1 < labels.length; i += 2) {
            filter.put(labels[i], labels[i + 1]);
        }
        PromText.Family f = p.family(family);
        assertNotNull(f, family + " missing");
        Double v = f.value(filter);
        assertNotNull(v, family + filter + " missing");
        return v;
    }

    @Test
    void masterHasEveryFamilyOfRedisExporterWithItsTypeAndLabels() {
        PromText theirs = PromText.parse(Recorded.text("exporter-master.prom"));
        PromText ours = rendered(RedisMetrics.families("redis", master(), NOW));
        assertEquals(List.of(), ExporterParity.differences(theirs, ours, "redis", ExporterParity.NOT_PRODUCED_FOR_REDIS));
    }

    @Test
    void replicasHaveEveryFamilyOfRedisExporterWithItsTypeAndLabels() {
        for (String[] c : new String[][] {{"replica-info-all.txt", "exporter-replica.prom"},
            {"replica-link-down-info-all.txt", "exporter-replica-link-down.prom"}}) {
            PromText theirs = PromText.parse(Recorded.text(c[1]));
            PromText ours = rendered(RedisMetrics.families("redis", replica(c[0]), NOW));
            assertEquals(List.of(), ExporterParity.differences(theirs, ours, "redis", ExporterParity.NOT_PRODUCED_FOR_REDIS), c[0]);
        }
    }

    /**
     * A fake server answered INFO with every field name of Redis 7.0 and older (value 7) to Debian's
     * redis_exporter 1.45 ({@code -include-system-metrics}); rvi must export exactly the fields it exported,
     * under the same names, types and values.
     */
    @Test
    void exportsExactlyTheInfoFieldsRedisExporterExports() {
        Replies.Error refused = new Replies.Error("ERR nope");
        PromText theirs = PromText.parse(Recorded.text("exporter-fake-every-field.prom"));
        PromText ours = rendered(RedisMetrics.families("redis", new RedisMetrics.Snapshot(
                Recorded.text("fake-every-field-info.txt"), refused, refused, refused, refused, refused), NOW));
        assertEquals(List.of(), ExporterParity.differences(theirs, ours, "redis", ExporterParity.NOT_PRODUCED_FOR_REDIS));
        for (PromText.Family f : ours.families.values()) {
            if (f.name.startsWith("redis_config_")) {
                continue; // maxclients and maxmemory are read from INFO; redis_exporter asks CONFIG GET, which the fake refused
            }
            PromText.Family t = theirs.family(f.name);
            assertNotNull(t, f.name + " is not redis_exporter's");
            if (!f.name.equals("redis_start_time_seconds") && !f.name.equals("redis_instance_info")) {
                for (PromText.Sample s : t.samples) {
                    Map<String, String> filter = new java.util.HashMap<>(s.labels());
                    filter.putAll(REDIS);
                    assertEquals(s.value(), f.value(filter), f.name + s.labels());
                }
            }
        }
        assertTrue(ours.families.size() > 120, "only " + ours.families.size());
    }

    @Test
    void noFamilyBeyondRedisExportersButTheDocumentedExtras() {
        PromText theirs = PromText.parse(Recorded.text("exporter-master.prom"));
        PromText ours = rendered(RedisMetrics.families("redis", master(), NOW));
        for (String name : ours.families.keySet()) {
            assertTrue(theirs.families.containsKey(name) || ExporterParity.RVI_EXTRAS.containsKey(name), name + " is neither");
        }
    }

    @Test
    void stableValuesAgreeWithRedisExporter() {
        PromText theirs = PromText.parse(Recorded.text("exporter-master.prom"));
        PromText ours = rendered(RedisMetrics.families("redis", master(), NOW));
        for (String family : List.of("redis_connected_slaves", "redis_memory_max_bytes", "redis_config_maxclients",
                "redis_config_maxmemory", "redis_config_io_threads", "redis_errors_total", "redis_aof_enabled",
                "redis_rdb_last_bgsave_status", "redis_process_id", "redis_latency_spike_last", "redis_slowlog_length")) {
            for (PromText.Sample s : theirs.family(family).samples) {
                Map<String, String> filter = new java.util.HashMap<>(s.labels());
                filter.putAll(REDIS);
                assertEquals(s.value(), ours.family(family).value(filter), family + s.labels());
            }
        }
        for (PromText.Sample s : theirs.family("redis_db_keys").samples) {
            assertEquals(s.value(), value(ours, "redis_db_keys", "db", s.labels().get("db")), s.labels().toString());
        }
        assertEquals(theirs.family("redis_instance_info").samples.get(0).labels().get("role"),
                ours.family("redis_instance_info").samples.get(0).labels().get("role"));
    }

    @Test
    void masterValues() {
        PromText p = rendered(RedisMetrics.families("redis", master(), NOW));
        assertEquals(1, value(p, "redis_up"));
        assertEquals(1, value(p, "redis_connected_slaves"));
        String[] replica = {"slave_ip", "127.0.0.2", "slave_port", "18002", "slave_state", "online"};
        assertEquals(8892, value(p, "redis_connected_slave_offset_bytes", replica));
        assertEquals(0, value(p, "redis_connected_slave_lag_seconds", replica));
        assertEquals(0, value(p, "redis_connected_slave_lag_bytes", replica)); // master_repl_offset 8892 - 8892
        assertEquals(8892, value(p, "redis_master_repl_offset"));
        assertEquals(25, value(p, "redis_db_keys", "db", "db0"));
        assertEquals(5, value(p, "redis_db_keys_expiring", "db", "db0"));
        assertEquals(3546.593, value(p, "redis_db_avg_ttl_seconds", "db", "db0"), 1e-9);
        assertEquals(2, value(p, "redis_db_keys", "db", "db2"));
        assertEquals(0, value(p, "redis_db_keys", "db", "db15"));
        assertEquals(0, value(p, "redis_db_keys_expiring", "db", "db1"));
        assertNull(p.family("redis_db_keys").value(Map.of("db", "db16")));
        assertNull(p.family("redis_db_avg_ttl_seconds").value(Map.of("db", "db1")));
        assertEquals(1, value(p, "redis_instance_info", "role", "master", "redis_version", "7.0.15", "redis_mode", "standalone",
                "tcp_port", "18001", "process_id", "20568", "maxmemory_policy", "noeviction"));
        assertNull(p.family("redis_slave_info"));
        assertEquals(26, value(p, "redis_commands_total", "cmd", "set"));
        assertEquals(249e-6, value(p, "redis_commands_duration_seconds_total", "cmd", "set"), 1e-12);
        assertEquals(9.023, value(p, "redis_latency_percentiles_usec", "cmd", "set", "quantile", "50"));
        assertEquals(15.039, value(p, "redis_latency_percentiles_usec", "cmd", "set", "quantile", "99.9"));
        assertEquals("summary", p.family("redis_latency_percentiles_usec").type);
        assertTrue(p.family("redis_latency_percentiles_usec").samples.stream()
                .anyMatch(s -> s.name().equals("redis_latency_percentiles_usec_count") && s.value() == 26
                        && "set".equals(s.labels().get("cmd"))));
        assertEquals(2, value(p, "redis_errors_total", "err", "ERR"));
        assertEquals(1, value(p, "redis_slowlog_length"));
        assertEquals(0, value(p, "redis_slowlog_last_id"));
        assertEquals(0.111863, value(p, "redis_last_slow_execution_duration_seconds"), 1e-12);
        assertEquals(1795635048, value(p, "redis_latency_spike_last", "event_name", "command"));
        assertEquals(0.111, value(p, "redis_latency_spike_duration_seconds", "event_name", "command"), 1e-12);
        assertEquals(552e-6, value(p, "redis_latest_fork_seconds"), 1e-12);
        assertEquals(1, value(p, "redis_rdb_last_bgsave_status"));
        assertEquals(1795635100 - 60, value(p, "redis_start_time_seconds"));
        assertEquals(10000, value(p, "redis_config_maxclients"));
        assertEquals(1, value(p, "redis_config_io_threads"));
        assertEquals(25276514304.0, value(p, "redis_total_system_memory_bytes"));
        assertEquals(5.37, value(p, "redis_mem_fragmentation_ratio"));
        assertEquals("counter", p.family("redis_keyspace_hits_total").type);
        assertEquals("counter", p.family("redis_commands_total").type);
        assertEquals("gauge", p.family("redis_expired_time_cap_reached_total").type); // as redis_exporter 1.45 has it
        assertEquals("gauge", p.family("redis_memory_used_bytes").type);
        assertEquals("Information about the Redis instance", p.family("redis_up").help);
        assertEquals("connected_clients metric", p.family("redis_connected_clients").help);
    }

    @Test
    void replicaValues() {
        PromText p = rendered(RedisMetrics.families("redis", replica("replica-info-all.txt"), NOW));
        String[] master = {"master_host", "127.0.0.1", "master_port", "18001"};
        assertEquals(1, value(p, "redis_master_link_up", master));
        assertEquals(1, value(p, "redis_master_last_io_seconds_ago", master));
        assertEquals(0, value(p, "redis_master_sync_in_progress", master));
        assertEquals(8906, value(p, "redis_slave_repl_offset", master));
        assertEquals(1, value(p, "redis_slave_info", "master_host", "127.0.0.1", "master_port", "18001", "read_only", "1"));
        assertEquals(1, value(p, "redis_instance_info", "role", "slave"));
        assertEquals(0, value(p, "redis_connected_slaves"));
        assertNull(p.family("redis_connected_slave_lag_bytes"));
        assertEquals(0, value(p, "redis_slowlog_length"));
        assertEquals(0, value(p, "redis_slowlog_last_id")); // empty slowlog
        assertNull(p.family("redis_latency_spike_last"));
    }

    @Test
    void replicaWithItsMasterGone() {
        PromText p = rendered(RedisMetrics.families("redis", replica("replica-link-down-info-all.txt"), NOW));
        String[] master = {"master_host", "127.0.0.1", "master_port", "18999"};
        assertEquals(0, value(p, "redis_master_link_up", master));
        assertEquals(-1, value(p, "redis_master_last_io_seconds_ago", master));
    }

    @Test
    void lagBytesIsTheMastersOffsetMinusEachReplicas() {
        String info = "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
                + "slave0:ip=10.0.0.2,port=6379,state=online,offset=900,lag=1\r\n"
                + "slave1:ip=10.0.0.3,port=6379,state=wait_bgsave,offset=0,lag=0\r\nmaster_repl_offset:1000\r\n";
        PromText p = rendered(RedisMetrics.families("redis", new RedisMetrics.Snapshot(info, null, null, null, null, null), NOW));
        assertEquals(100, value(p, "redis_connected_slave_lag_bytes", "slave_ip", "10.0.0.2", "slave_state", "online"));
        assertEquals(1000, value(p, "redis_connected_slave_lag_bytes", "slave_ip", "10.0.0.3", "slave_state", "wait_bgsave"));
        assertEquals(1, value(p, "redis_connected_slave_lag_seconds", "slave_ip", "10.0.0.2"));
    }

    @Test
    void refusedOrMissingCommandsOnlyLeaveTheirFamiliesOut() {
        Replies.Error refused = new Replies.Error("ERR unknown command 'CONFIG'");
        RedisMetrics.Snapshot s = new RedisMetrics.Snapshot(Recorded.text("master-info-all.txt"), refused, refused, refused, refused,
                refused);
        PromText p = rendered(RedisMetrics.families("redis", s, NOW));
        assertEquals(0, value(p, "redis_db_keys", "db", "db15")); // databases unknown: 16, as redis_exporter assumes
        assertNull(p.family("redis_config_io_threads"));
        assertNull(p.family("redis_slowlog_length"));
        assertNull(p.family("redis_slowlog_last_id"));
        assertNull(p.family("redis_latency_spike_last"));
        assertEquals(10000, value(p, "redis_config_maxclients"));
    }

    @Test
    void databasesFromConfig() {
        RedisMetrics.Snapshot s = new RedisMetrics.Snapshot("# Keyspace\r\ndb1:keys=3,expires=0,avg_ttl=0\r\n",
                List.of("databases", "2"), null, null, null, null);
        PromText p = rendered(RedisMetrics.families("redis", s, NOW));
        assertEquals(0, value(p, "redis_db_keys", "db", "db0"));
        assertEquals(3, value(p, "redis_db_keys", "db", "db1"));
        assertEquals(2, p.family("redis_db_keys").samples.size());
    }

    @Test
    void downIsRedisUpZeroAndNothingElse() {
        PromText p = rendered(RedisMetrics.down("redis"));
        assertEquals(List.of("redis_up"), List.copyOf(p.families.keySet()));
        assertEquals(0, value(p, "redis_up"));
    }

    @Test
    void oddValuesAreSkippedNotGuessed() {
        String info = "# Memory\r\nused_memory:12\r\nused_memory_human:12B\r\nmem_fragmentation_ratio:nan\r\n"
                + "used_memory_peak:1d\r\nmaxmemory:0x10\r\n# Persistence\r\naof_last_write_status:err\r\n";
        PromText p = rendered(RedisMetrics.families("redis", new RedisMetrics.Snapshot(info, null, null, null, null, null), NOW));
        assertEquals(12, value(p, "redis_memory_used_bytes"));
        assertTrue(Double.isNaN(value(p, "redis_mem_fragmentation_ratio")));
        assertNull(p.family("redis_memory_used_peak_bytes"));
        assertNull(p.family("redis_memory_max_bytes"));
        assertEquals(0, value(p, "redis_aof_last_write_status"));
        assertFalse(p.families.containsKey("redis_used_memory_human"));
    }
}
