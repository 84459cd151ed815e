package io.rvi.agent.redis.metrics;

import io.rvi.agent.redis.metrics.MetricFamily.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The metric families of one redis-server, under redis_exporter 1.45's names, types, labels and help texts,
 * from {@code INFO ALL} and a few cheap commands (see {@link Snapshot}). Plus two that redis_exporter does not
 * have: {@code redis_connected_slave_lag_bytes} (per replica, on a master) and
 * {@code redis_total_system_memory_bytes} (redis_exporter's {@code -include-system-metrics}).
 */
final class RedisMetrics {
    /**
     * Replies of one collection, as {@link Replies} values: the INFO ALL text, {@code CONFIG GET databases},
     * {@code CONFIG GET io-threads}, {@code SLOWLOG LEN}, {@code SLOWLOG GET 1}, {@code LATENCY LATEST}. Any but
     * {@code info} may be an error reply or null (not asked); the families it gives are then left out.
     */
    record Snapshot(String info, Object configDatabases, Object configIoThreads, Object slowlogLen, Object slowlogGet,
                    Object latencyLatest) {}

    private static final Pattern MASTER_HOST = Pattern.compile("master(_[0-9]+)?_host");
    private static final Pattern MASTER_PORT = Pattern.compile("master(_[0-9]+)?_port");
    private static final Pattern MASTER_LINK = Pattern.compile("master(_[0-9]+)?_link_status");
    private static final Pattern MASTER_IO = Pattern.compile("master(_[0-9]+)?_last_io_seconds_ago.*");
    private static final Pattern MASTER_SYNC = Pattern.compile("master(_[0-9]+)?_sync_in_progress.*");
    private static final Pattern SLAVE_LINE = Pattern.compile("slave[0-9]+");
    private static final String[] INSTANCE_LABELS = {"role", "redis_version", "redis_build_id", "redis_mode", "os",
        "maxmemory_policy", "tcp_port", "run_id", "process_id"};
    private static final String LAG_BYTES_HELP = "Replication lag of a connected replica in bytes: master_repl_offset "
            + "minus the offset it acknowledged";

    private RedisMetrics() {}

    /** What a Redis that could not be read shows: {@code redis_up 0} and nothing else. */
    static List<MetricFamily> down(String service) {
        Families f = new Families("service", service);
        f.gauge("up", "Information about the Redis instance", 0);
        return f.list();
    }

    static List<MetricFamily> families(String service, Snapshot s, long nowMillis) {
        Families f = new Families("service", service);
        Info info = Info.parse(s.info());
        f.gauge("up", "Information about the Redis instance", 1);
        fields(f, info, nowMillis);
        instanceInfo(f, info);
        keyspaceZeros(f, info, s.configDatabases());
        config(f, info, s.configIoThreads());
        slowlog(f, s.slowlogLen(), s.slowlogGet());
        latency(f, s.latencyLatest());
        return f.list();
    }

    private static void fields(Families f, Info info, long nowMillis) {
        String masterHost = "";
        String masterPort = "";
        Map<String, double[]> cmdstats = new LinkedHashMap<>(); // cmd -> {calls, usec}
        Map<String, TreeMap<Double, Double>> latencies = new LinkedHashMap<>();
        List<Map<String, String>> replicas = new ArrayList<>();
        for (Info.Field fl : info.fields()) {
            String key = fl.key();
            String value = fl.value();
            if (key.startsWith("master") && MASTER_HOST.matcher(key).matches()) {
                masterHost = value;
            } else if (key.startsWith("master") && MASTER_PORT.matcher(key).matches()) {
                masterPort = value;
            }
            switch (fl.section()) {
                case "Replication":
                    if (replication(f, key, value, masterHost, masterPort, replicas)) {
                        continue;
                    }
                    break;
                case "Server":
                    if (key.equals("uptime_in_seconds") && Info.decimal(value)) {
                        f.gauge("start_time_seconds", "Start time of the Redis instance since unix epoch in seconds.",
                                Math.floor(nowMillis / 1000.0) - Double.parseDouble(value));
                    }
                    break;
                case "Commandstats":
                    commandStats(f, key, value, cmdstats);
                    continue;
                case "Latencystats":
                    latencyStats(key, value, latencies);
                    continue;
                case "Errorstats":
                    errorStats(f, key, value);
                    continue;
                case "Keyspace":
                    if (keyspace(f, key, value)) {
                        continue;
                    }
                    break;
                default:
                    break;
            }
            generic(f, key, value);
        }
        lagBytes(f, info, replicas);
        latencySummaries(f, cmdstats, latencies);
    }

    private static void generic(Families f, String key, String value) {
        InfoFields field = InfoFields.of(key);
        String name = field != null ? field.metric() : key.startsWith("cluster_") ? Exposition.sanitize(key) : null;
        Double v = name == null ? null : Info.number(value);
        if (v != null) {
            f.sample(name, field != null ? field.type() : Type.GAUGE, null, field != null ? v * field.scale() : v);
        }
    }

    /** Replica-side fields and the master's {@code slaveN} lines; true when handled. */
    private static boolean replication(Families f, String key, String value, String host, String port,
                                       List<Map<String, String>> replicas) {
        if (MASTER_LINK.matcher(key).matches()) {
            f.gauge("master_link_up", "Master link status on Redis slave", "up".equals(value) ? 1 : 0,
                    "master_host", host, "master_port", port);
            return true;
        }
        if (MASTER_IO.matcher(key).matches()) {
            f.gauge("master_last_io_seconds_ago", "Master last io seconds ago", Info.integerOrZero(value),
                    "master_host", host, "master_port", port);
            return true;
        }
        if (MASTER_SYNC.matcher(key).matches()) {
            f.gauge("master_sync_in_progress", "Master sync in progress", Info.integerOrZero(value),
                    "master_host", host, "master_port", port);
            return true;
        }
        if (key.startsWith("slave_repl_offset")) {
            f.gauge("slave_repl_offset", "Slave replication offset", Info.integerOrZero(value), "master_host", host, "master_port", port);
            return true;
        }
        if (!SLAVE_LINE.matcher(key).matches()) {
            return false;
        }
        Map<String, String> r = Info.pairs(value);
        Double offset = r == null ? null : Info.number(r.get("offset"));
        String lag = r == null ? null : r.get("lag");
        if (offset == null || (lag != null && Info.number(lag) == null)) {
            return false;
        }
        String[] labels = {"slave_ip", r.getOrDefault("ip", ""), "slave_port", r.getOrDefault("port", ""),
            "slave_state", r.getOrDefault("state", "")};
        f.gauge("connected_slave_offset_bytes", "Offset of connected slave", offset, labels);
        if (lag != null) {
            f.gauge("connected_slave_lag_seconds", "Lag of connected slave", Info.number(lag), labels);
        }
        replicas.add(r);
        return true;
    }

    private static void lagBytes(Families f, Info info, List<Map<String, String>> replicas) {
        Double master = Info.number(info.get("master_repl_offset"));
        if (master == null) {
            return;
        }
        for (Map<String, String> r : replicas) {
            f.gauge("connected_slave_lag_bytes", LAG_BYTES_HELP, Math.max(0, master - Info.number(r.get("offset"))),
                    "slave_ip", r.getOrDefault("ip", ""), "slave_port", r.getOrDefault("port", ""),
                    "slave_state", r.getOrDefault("state", ""));
        }
    }

    /** {@code cmdstat_get:calls=21,usec=175,usec_per_call=8.33,rejected_calls=0,failed_calls=0}. */
    private static void commandStats(Families f, String key, String value, Map<String, double[]> cmdstats) {
        Map<String, String> p = key.startsWith("cmdstat_") ? Info.pairs(value) : null;
        Double calls = p == null ? null : Info.number(p.get("calls"));
        Double usec = p == null ? null : Info.number(p.get("usec"));
        if (calls == null || usec == null || p.size() < 3) {
            return;
        }
        String cmd = key.substring("cmdstat_".length());
        f.counter("commands_total", "Total number of calls per command", calls, "cmd", cmd);
        f.counter("commands_duration_seconds_total", "Total amount of time in seconds spent per command", usec / 1e6, "cmd", cmd);
        Double rejected = Info.number(p.get("rejected_calls"));
        Double failed = Info.number(p.get("failed_calls"));
        if (rejected != null && failed != null) {
            f.counter("commands_rejected_calls_total", "Total number of errors within command execution per command", rejected, "cmd", cmd);
            f.counter("commands_failed_calls_total", "Total number of errors prior command execution per command", failed, "cmd", cmd);
        }
        cmdstats.put(cmd, new double[] {calls, usec});
    }

    /** {@code latency_percentiles_usec_get:p50=3.007,p99=5.023,p99.9=5.023}. */
    private static void latencyStats(String key, String value, Map<String, TreeMap<Double, Double>> latencies) {
        Map<String, String> p = key.startsWith("latency_percentiles_usec_") ? Info.pairs(value) : null;
        if (p == null) {
            return;
        }
        TreeMap<Double, Double> q = new TreeMap<>();
        for (Map.Entry<String, String> e : p.entrySet()) {
            Double percentile = e.getKey().startsWith("p") ? Info.number(e.getKey().substring(1)) : null;
            Double v = Info.number(e.getValue());
            if (percentile == null || v == null) {
                return;
            }
            q.put(percentile, v);
        }
        latencies.put(key.substring("latency_percentiles_usec_".length()), q);
    }

    private static void latencySummaries(Families f, Map<String, double[]> cmdstats, Map<String, TreeMap<Double, Double>> latencies) {
        for (Map.Entry<String, TreeMap<Double, Double>> e : latencies.entrySet()) {
            double[] c = cmdstats.get(e.getKey());
            if (c != null) {
                f.summary("latency_percentiles_usec", "A summary of latency percentile distribution per command", e.getValue(),
                        c[1], (long) c[0], "cmd", e.getKey());
            }
        }
    }

    /** {@code errorstat_ERR:count=2}. */
    private static void errorStats(Families f, String key, String value) {
        Map<String, String> p = key.startsWith("errorstat_") ? Info.pairs(value) : null;
        Double count = p == null || p.size() != 1 ? null : Info.number(p.values().iterator().next());
        if (count != null) {
            f.counter("errors_total", "Total number of errors per error type", count, "err", key.substring("errorstat_".length()));
        }
    }

    /** {@code db0:keys=2,expires=1,avg_ttl=913582}; false when the line is not one. */
    private static boolean keyspace(Families f, String key, String value) {
        Map<String, String> p = key.startsWith("db") ? Info.pairs(value) : null;
        Double keys = p == null ? null : Info.number(p.get("keys"));
        Double expires = p == null ? null : Info.number(p.get("expires"));
        if (keys == null || expires == null) {
            return false;
        }
        f.gauge("db_keys", "Total number of keys by DB", keys, "db", key);
        f.gauge("db_keys_expiring", "Total number of expiring keys by DB", expires, "db", key);
        Double ttl = Info.number(p.get("avg_ttl"));
        if (ttl != null) {
            f.gauge("db_avg_ttl_seconds", "Avg TTL in seconds", ttl / 1000, "db", key);
        }
        return true;
    }

    /** Every database without keys shows 0 keys, as redis_exporter does ({@code CONFIG GET databases}, else 16). */
    private static void keyspaceZeros(Families f, Info info, Object configDatabases) {
        Map<String, String> cfg = Replies.record(configDatabases);
        long count = cfg == null ? 0 : Info.integerOrZero(cfg.get("databases"));
        if ("1".equals(info.get("cluster_enabled"))) {
            count = 1;
        } else if (count <= 0) {
            count = 16;
        }
        MetricFamily keys = f.get("db_keys");
        for (long i = 0; i < count; i++) {
            String db = "db" + i;
            if (keys == null || keys.value("db", db) == null) {
                f.gauge("db_keys", "Total number of keys by DB", 0, "db", db);
                f.gauge("db_keys_expiring", "Total number of expiring keys by DB", 0, "db", db);
            }
        }
    }

    /** {@code redis_instance_info} (and {@code redis_slave_info} on a replica), as redis_exporter 1.45 labels them. */
    static void instanceInfo(Families f, Info info) {
        String[] labels = new String[INSTANCE_LABELS.length * 2];
        for (int i = 0; i < INSTANCE_LABELS.length; i++) {
            String name = INSTANCE_LABELS[i];
            labels[2 * i] = name;
            labels[2 * i + 1] = name.equals("redis_mode") ? info.get("redis_mode", info.get("server_mode", "")) : info.get(name, "");
        }
        f.gauge("instance_info", "Information about the Redis instance", 1, labels);
        if ("slave".equals(info.get("role"))) {
            f.gauge("slave_info", "Information about the Redis slave", 1, "master_host", info.get("master_host", ""),
                    "master_port", info.get("master_port", ""), "read_only", info.get("slave_read_only", ""));
        }
    }

    /** {@code maxclients} and {@code maxmemory} from INFO (what CONFIG GET says); io-threads from CONFIG GET. */
    private static void config(Families f, Info info, Object configIoThreads) {
        Double maxclients = Info.number(info.get("maxclients"));
        if (maxclients != null) {
            f.gauge("config_maxclients", null, maxclients);
        }
        Double maxmemory = Info.number(info.get("maxmemory"));
        if (maxmemory != null) {
            f.gauge("config_maxmemory", null, maxmemory);
        }
        Map<String, String> cfg = Replies.record(configIoThreads);
        Double io = cfg == null ? null : Info.number(cfg.get("io-threads"));
        if (io != null) {
            f.gauge("config_io_threads", null, io);
        }
    }

    /** {@code SLOWLOG LEN}; {@code SLOWLOG GET 1}: {@code [[id, time, duration_usec, args, addr, name]]}. */
    private static void slowlog(Families f, Object len, Object get) {
        Long length = Replies.integer(len);
        if (length != null) {
            f.gauge("slowlog_length", "Total slowlog", length);
        }
        if (get == null || Replies.isError(get)) {
            return;
        }
        List<Object> entries = Replies.array(get);
        List<Object> last = entries.isEmpty() ? List.of() : Replies.array(entries.get(0));
        Long id = last.isEmpty() ? null : Replies.integer(last.get(0));
        Long usec = last.size() > 2 ? Replies.integer(last.get(2)) : null;
        f.gauge("slowlog_last_id", "Last id of slowlog", id == null ? 0 : id);
        f.gauge("last_slow_execution_duration_seconds", "The amount of time needed for last slow execution, in seconds",
                usec == null ? 0 : usec / 1e6);
    }

    /** {@code LATENCY LATEST}: {@code [[event, unix_time, latest_ms, max_ms], ...]}. */
    private static void latency(Families f, Object latest) {
        for (Object o : Replies.array(latest)) {
            List<Object> e = Replies.array(o);
            String event = e.isEmpty() ? null : Replies.text(e.get(0));
            Long when = e.size() > 1 ? Replies.integer(e.get(1)) : null;
            Long ms = e.size() > 2 ? Replies.integer(e.get(2)) : null;
            if (event != null && when != null && ms != null) {
                f.gauge("latency_spike_last", "When the latency spike last occurred", when, "event_name", event);
                f.gauge("latency_spike_duration_seconds", "Length of the last latency spike in seconds", ms / 1e3, "event_name", event);
            }
        }
    }
}
