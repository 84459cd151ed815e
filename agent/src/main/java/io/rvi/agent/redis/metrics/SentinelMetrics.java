package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The metric families of one Sentinel, under redis_exporter's names: {@code redis_sentinel_*} from
 * {@code INFO} (its Sentinel section), {@code SENTINEL MASTERS} and, per master, {@code SENTINEL CKQUORUM},
 * {@code SENTINEL SENTINELS} and {@code SENTINEL REPLICAS}; plus {@code redis_up} and
 * {@code redis_instance_info}. The generic server families ({@code redis_connected_clients},
 * {@code redis_uptime_in_seconds}, ...) are left to the Redis service: one {@code /metrics} body carries
 * both, and the Redis dashboards expect one such series per scrape target.
 */
final class SentinelMetrics {
    /** The replies about one master; any may be null (not asked). */
    record MasterReplies(Object ckquorum, Object sentinels, Object replicas) {}

    /** Replies of one collection: INFO text, SENTINEL MASTERS, and the per-master replies by master name. */
    record Snapshot(String info, Object masters, Map<String, MasterReplies> perMaster) {}

    private static final String[] INFO_GAUGES = {"sentinel_masters", "The number of masters this sentinel is watching",
        "sentinel_tilt", "Sentinel is in TILT mode", "sentinel_running_scripts", "Number of scripts in execution right now",
        "sentinel_scripts_queue_length", "Queue of user scripts to execute", "sentinel_simulate_failure_flags", "Failures simulations"};

    /** SENTINEL MASTERS field -> metric, help, scale. */
    private static final String[][] SETTINGS = {
        {"quorum", "sentinel_master_setting_ckquorum", "Show the current ckquorum config for each master", "1"},
        {"failover-timeout", "sentinel_master_setting_failover_timeout", "Show the current failover-timeout config for each master", "1"},
        {"parallel-syncs", "sentinel_master_setting_parallel_syncs", "Show the current parallel-syncs config for each master", "1"},
        {"down-after-milliseconds", "sentinel_master_setting_down_after_milliseconds",
            "Show the current down-after-milliseconds config for each master", "1"},
        {"config-epoch", "sentinel_master_config_epoch", "The config epoch of the master (it grows with every failover)", "1"},
        {"last-ok-ping-reply", "sentinel_master_last_ok_ping_reply_seconds",
            "Seconds since the master last answered a ping from this Sentinel", "0.001"},
    };

    private static final Pattern MASTER_LINE = Pattern.compile("master[0-9]+");

    private SentinelMetrics() {}

    /** The masters this Sentinel watches, by name, from a {@code SENTINEL MASTERS} reply. */
    static List<String> masterNames(Object masters) {
        List<String> names = new ArrayList<>();
        for (Map<String, String> m : Replies.records(masters)) {
            if (m.get("name") != null && m.get("ip") != null && m.get("port") != null) {
                names.add(m.get("name"));
            }
        }
        return names;
    }

    static List<MetricFamily> families(String service, Snapshot s) {
        Families f = new Families("service", service);
        Info info = Info.parse(s.info());
        f.gauge("up", "Information about the Redis instance", 1);
        RedisMetrics.instanceInfo(f, info);
        for (Info.Field field : info.fields()) {
            if (field.section().equals("Sentinel")) {
                infoField(f, field.key(), field.value());
            }
        }
        for (Map<String, String> m : Replies.records(s.masters())) {
            String name = m.get("name");
            if (name == null || m.get("ip") == null || m.get("port") == null) {
                continue;
            }
            String address = m.get("ip") + ":" + m.get("port");
            MasterReplies r = s.perMaster().get(name);
            master(f, name, address, m, r == null ? new MasterReplies(null, null, null) : r);
        }
        return f.list();
    }

    private static void infoField(Families f, String key, String value) {
        for (int i = 0; i < INFO_GAUGES.length; i += 2) {
            if (INFO_GAUGES[i].equals(key)) {
                f.gauge(key, INFO_GAUGES[i + 1], Info.integerOrZero(value));
                return;
            }
        }
        if (!MASTER_LINE.matcher(key).matches()) {
            return;
        }
        // master0:name=mymaster,status=ok,address=10.0.0.1:6379,slaves=2,sentinels=3
        Map<String, String> p = Info.pairs(value);
        Double slaves = p == null ? null : Info.number(p.get("slaves"));
        Double sentinels = p == null ? null : Info.number(p.get("sentinels"));
        if (slaves == null || sentinels == null) {
            return;
        }
        String name = p.getOrDefault("name", "");
        String address = p.getOrDefault("address", "");
        String status = p.getOrDefault("status", "");
        f.gauge("sentinel_master_status", "Master status on Sentinel", "ok".equals(status) ? 1 : 0,
                "master_name", name, "master_address", address, "master_status", status);
        f.gauge("sentinel_master_slaves", "The number of slaves of the master", slaves, "master_name", name, "master_address", address);
        f.gauge("sentinel_master_sentinels", "The number of sentinels monitoring this master", sentinels,
                "master_name", name, "master_address", address);
    }

    private static void master(Families f, String name, String address, Map<String, String> m, MasterReplies r) {
        if (r.ckquorum() != null) {
            boolean ok = !Replies.isError(r.ckquorum());
            String message = ok ? String.valueOf(Replies.text(r.ckquorum())) : ((Replies.Error) r.ckquorum()).message();
            f.gauge("sentinel_master_ckquorum_status", "Master ckquorum status", ok ? 1 : 0, "master_name", name, "message", message);
        }
        for (String[] s : SETTINGS) {
            Double v = Info.number(m.get(s[0]));
            f.gauge(s[1], s[2], v == null ? 0 : v * Double.parseDouble(s[3]), "master_name", name, "master_address", address);
        }
        if (r.sentinels() != null && !Replies.isError(r.sentinels())) {
            // this Sentinel counts itself, as redis_exporter does
            f.gauge("sentinel_master_ok_sentinels", "The number of okay sentinels monitoring this master", 1 + ok(r.sentinels()),
                    "master_name", name, "master_address", address);
        }
        if (r.replicas() != null && !Replies.isError(r.replicas())) {
            f.gauge("sentinel_master_ok_slaves", "The number of okay slaves of the master", ok(r.replicas()),
                    "master_name", name, "master_address", address);
        }
    }

    /** How many entries have flags and none of {@code s_down}, {@code o_down}. */
    private static int ok(Object reply) {
        int n = 0;
        for (Map<String, String> e : Replies.records(reply)) {
            String flags = e.get("flags");
            if (flags != null && !flags.contains("s_down") && !flags.contains("o_down")) {
                n++;
            }
        }
        return n;
    }
}
