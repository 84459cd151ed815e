package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What "the same metrics as redis_exporter" means, and the check: for every family Debian's
 * prometheus-redis-exporter 1.45 writes for a target, rvi writes a family of the same name and type whose
 * samples for that service have the same label names plus {@code service}, unless the family is listed
 * below as intentionally not produced, with the reason.
 */
final class ExporterParity {
    private ExporterParity() {}

    /** The label rvi adds to every series: one /metrics body carries several services. */
    static final String SERVICE_LABEL = "service";

    private static final String SELF = "a self-metric of the Go exporter process (its scrapes, its build); the agent's own "
            + "rvi_* metrics describe the agent that serves /metrics";

    /** redis_exporter families rvi does not write for a redis-server, and why. */
    static final Map<String, String> NOT_PRODUCED_FOR_REDIS = Map.of(
            "redis_exporter_build_info", SELF,
            "redis_exporter_last_scrape_connect_time_seconds", SELF,
            "redis_exporter_last_scrape_duration_seconds", SELF,
            "redis_exporter_last_scrape_error", SELF + "; a failed read shows as redis_up 0 (and a warning in the agent log)",
            "redis_exporter_scrape_duration_seconds", SELF,
            "redis_exporter_scrapes_total", SELF,
            "redis_target_scrape_request_errors_total", "counts bad /scrape?target= requests, an HTTP feature of the Go exporter",
            "redis_last_key_groups_scrape_duration_milliseconds", "key groups (-check-key-groups) are not computed: that SCANs "
                    + "the whole keyspace on every scrape");

    private static final String SENTINEL_GENERIC = "a generic server family of the Sentinel process: one /metrics body "
            + "carries the host's Redis and its Sentinel, and the Redis dashboards (763, 11835) expect one such series per "
            + "scrape target, so only the Redis service writes it; the Sentinel has redis_up, redis_instance_info and "
            + "redis_sentinel_*";

    /** redis_exporter families rvi does not write for a Sentinel, and why (besides {@link #NOT_PRODUCED_FOR_REDIS}). */
    static final Map<String, String> NOT_PRODUCED_FOR_SENTINEL = generic(SENTINEL_GENERIC,
            "redis_blocked_clients", "redis_client_recent_max_input_buffer_bytes", "redis_client_recent_max_output_buffer_bytes",
            "redis_clients_in_timeout_table", "redis_cluster_connections", "redis_commands_processed_total",
            "redis_connected_clients", "redis_connections_received_total", "redis_cpu_sys_children_seconds_total",
            "redis_cpu_sys_main_thread_seconds_total", "redis_cpu_sys_seconds_total", "redis_cpu_user_children_seconds_total",
            "redis_cpu_user_main_thread_seconds_total", "redis_cpu_user_seconds_total", "redis_db_keys", "redis_db_keys_expiring",
            "redis_defrag_hits", "redis_defrag_key_hits", "redis_defrag_key_misses", "redis_defrag_misses",
            "redis_dump_payload_sanitizations", "redis_evicted_keys_total", "redis_expired_keys_total",
            "redis_expired_stale_percentage", "redis_expired_time_cap_reached_total", "redis_io_threaded_reads_processed",
            "redis_io_threaded_writes_processed", "redis_io_threads_active", "redis_keyspace_hits_total",
            "redis_keyspace_misses_total", "redis_latest_fork_seconds", "redis_migrate_cached_sockets_total",
            "redis_net_input_bytes_total", "redis_net_output_bytes_total", "redis_process_id", "redis_pubsub_channels",
            "redis_pubsub_patterns", "redis_rejected_connections_total", "redis_replica_partial_resync_accepted",
            "redis_replica_partial_resync_denied", "redis_replica_resyncs_full", "redis_slave_expires_tracked_keys",
            "redis_start_time_seconds", "redis_total_error_replies", "redis_total_reads_processed",
            "redis_total_writes_processed", "redis_tracking_clients", "redis_tracking_total_items", "redis_tracking_total_keys",
            "redis_tracking_total_prefixes", "redis_unexpected_error_replies", "redis_uptime_in_seconds",
            // written only when the Sentinel's INFO has these (errors, latency spikes): same reason
            "redis_errors_total", "redis_commands_total", "redis_commands_duration_seconds_total");

    /** Families rvi writes that redis_exporter 1.45 (default flags) does not, with what they are. */
    static final Map<String, String> RVI_EXTRAS = Map.of(
            "redis_connected_slave_lag_bytes", "per replica on a master: master_repl_offset minus the replica's offset",
            "redis_total_system_memory_bytes", "redis_exporter writes it with -include-system-metrics",
            "redis_sentinel_master_setting_ckquorum", "newer redis_exporter versions",
            "redis_sentinel_master_setting_failover_timeout", "newer redis_exporter versions",
            "redis_sentinel_master_setting_parallel_syncs", "newer redis_exporter versions",
            "redis_sentinel_master_setting_down_after_milliseconds", "newer redis_exporter versions",
            "redis_sentinel_master_config_epoch", "newer redis_exporter versions",
            "redis_sentinel_master_last_ok_ping_reply_seconds", "newer redis_exporter versions");

    /**
     * Every metric the common redis_exporter dashboards (763 "Redis Dashboard for Prometheus Redis Exporter 1.x",
     * 11835 its helm variant) query, plus those of the usual Redis and Sentinel alert rules
     * (awesome-prometheus-alerts, the redis-mixin).
     */
    static final List<String> DASHBOARD_METRICS = List.of(
            // 763 / 11835 panels and the $instance variable
            "redis_up", "redis_uptime_in_seconds", "redis_connected_clients", "redis_memory_used_bytes", "redis_memory_max_bytes",
            "redis_commands_processed_total", "redis_keyspace_hits_total", "redis_keyspace_misses_total",
            "redis_net_input_bytes_total", "redis_net_output_bytes_total", "redis_db_keys", "redis_db_keys_expiring",
            "redis_expired_keys_total", "redis_evicted_keys_total", "redis_commands_total", "redis_commands_duration_seconds_total",
            // alert rules
            "redis_instance_info", "redis_connected_slaves", "redis_rdb_last_save_timestamp_seconds",
            "redis_total_system_memory_bytes", "redis_config_maxclients", "redis_rejected_connections_total",
            "redis_blocked_clients", "redis_mem_fragmentation_ratio", "redis_connections_received_total",
            "redis_master_link_up", "redis_connected_slave_lag_seconds", "redis_connected_slave_offset_bytes",
            "redis_master_repl_offset", "redis_rdb_last_bgsave_status", "redis_aof_last_bgrewrite_status",
            "redis_sentinel_masters", "redis_sentinel_tilt", "redis_sentinel_master_status", "redis_sentinel_master_ok_sentinels",
            "redis_sentinel_master_ok_slaves", "redis_sentinel_master_ckquorum_status");

    /**
     * What differs between redis_exporter's text for one target and rvi's for the same service: missing
     * families, other types, other label names. Empty when they agree.
     */
    static List<String> differences(PromText exporter, PromText rvi, String service, Map<String, String> notProduced) {
        List<String> out = new ArrayList<>();
        Map<String, String> mine = Map.of(SERVICE_LABEL, service);
        for (PromText.Family theirs : exporter.families.values()) {
            String n = theirs.name;
            if (n.startsWith("go_") || n.startsWith("process_") || n.startsWith("promhttp_") || notProduced.containsKey(n)
                    || theirs.samples.isEmpty()) {
                continue;
            }
            PromText.Family ours = rvi.family(n);
            if (ours == null || !ours.has(mine)) {
                out.add(n + ": missing for " + service);
                continue;
            }
            if (!ours.type.equals(theirs.type)) {
                out.add(n + ": type " + ours.type + ", redis_exporter has " + theirs.type);
            }
            Set<String> want = new TreeSet<>(theirs.labelNames(Map.of()));
            want.add(SERVICE_LABEL);
            Set<String> got = ours.labelNames(mine);
            if (!got.equals(want)) {
                out.add(n + ": labels " + got + ", redis_exporter has " + theirs.labelNames(Map.of()) + " (+ service)");
            }
        }
        return out;
    }

    private static Map<String, String> generic(String reason, String... names) {
        Map<String, String> m = new java.util.LinkedHashMap<>(NOT_PRODUCED_FOR_REDIS);
        for (String n : names) {
            m.put(n, reason);
        }
        return Map.copyOf(m);
    }
}
