package io.rvi.agent.redis.metrics;

import static io.rvi.agent.redis.metrics.RedisMetricsTest.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Sentinel mapping on replies recorded from a real Sentinel 7.0.15 watching two masters: {@code mymaster}
 * (quorum 1, one other Sentinel, one replica online and two gone) and {@code lonely} (quorum 3, no quorum).
 */
class SentinelMetricsTest {
    static SentinelMetrics.Snapshot recorded() {
        Map<String, SentinelMetrics.MasterReplies> per = new LinkedHashMap<>();
        for (String m : List.of("mymaster", "lonely")) {
            per.put(m, new SentinelMetrics.MasterReplies(Recorded.resp("sentinel-ckquorum-" + m + ".resp"),
                    Recorded.resp("sentinel-sentinels-" + m + ".resp"), Recorded.resp("sentinel-replicas-" + m + ".resp")));
        }
        return new SentinelMetrics.Snapshot(Recorded.text("sentinel-info.txt"), Recorded.resp("sentinel-masters.resp"), per);
    }

    private static double value(PromText p, String family, String... labels) {
        Map<String, String> filter = new HashMap<>(Map.of("service", "sentinel"));
        for (int i = 0; i + 1 < labels.length; i += 2) {
            filter.put(labels[i], labels[i + 1]);
        }
        assertNotNull(p.family(family), family + " missing");
        Double v = p.family(family).value(filter);
        assertNotNull(v, family + filter + " missing");
        return v;
    }

    @Test
    void masterNamesFromSentinelMasters() {
        assertEquals(List.of("mymaster", "lonely"), SentinelMetrics.masterNames(Recorded.resp("sentinel-masters.resp")));
        assertEquals(List.of(), SentinelMetrics.masterNames(new Replies.Error("ERR unknown command")));
    }

    @Test
    void hasEverySentinelFamilyOfRedisExporterWithItsTypeAndLabels() {
        PromText theirs = PromText.parse(Recorded.text("exporter-sentinel.prom"));
        PromText ours = rendered(SentinelMetrics.families("sentinel", recorded()));
        assertEquals(List.of(), ExporterParity.differences(theirs, ours, "sentinel", ExporterParity.NOT_PRODUCED_FOR_SENTINEL));
        for (String name : ours.families.keySet()) {
            assertTrue(theirs.families.containsKey(name) || ExporterParity.RVI_EXTRAS.containsKey(name), name + " is neither");
        }
    }

    @Test
    void valuesAgreeWithRedisExporter() {
        PromText theirs = PromText.parse(Recorded.text("exporter-sentinel.prom"));
        PromText ours = rendered(SentinelMetrics.families("sentinel", recorded()));
        for (PromText.Family f : theirs.families.values()) {
            if (!f.name.startsWith("redis_sentinel_")) {
                continue;
            }
            for (PromText.Sample s : f.samples) {
                Map<String, String> filter = new HashMap<>(s.labels());
                filter.put("service", "sentinel");
                assertEquals(s.value(), ours.family(f.name).value(filter), f.name + s.labels());
            }
        }
    }

    @Test
    void sentinelValues() {
        PromText p = rendered(SentinelMetrics.families("sentinel", recorded()));
        String[] my = {"master_name", "mymaster", "master_address", "127.0.0.1:18001"};
        String[] lonely = {"master_name", "lonely", "master_address", "127.0.0.1:18004"};
        assertEquals(1, value(p, "redis_up"));
        assertEquals(1, value(p, "redis_instance_info", "redis_mode", "sentinel", "role", "", "tcp_port", "18011"));
        assertEquals(2, value(p, "redis_sentinel_masters"));
        assertEquals(0, value(p, "redis_sentinel_tilt"));
        assertEquals(1, value(p, "redis_sentinel_master_status", "master_name", "mymaster", "master_status", "ok"));
        assertEquals(3, value(p, "redis_sentinel_master_slaves", my));
        assertEquals(2, value(p, "redis_sentinel_master_sentinels", my));
        assertEquals(2, value(p, "redis_sentinel_master_ok_sentinels", my)); // itself and the other one
        assertEquals(1, value(p, "redis_sentinel_master_ok_slaves", my)); // two are s_down
        assertEquals(1, value(p, "redis_sentinel_master_ok_sentinels", lonely));
        assertEquals(0, value(p, "redis_sentinel_master_ok_slaves", lonely));
        assertEquals(1, value(p, "redis_sentinel_master_ckquorum_status", "master_name", "mymaster",
                "message", "OK 2 usable Sentinels. Quorum and failover authorization can be reached"));
        assertEquals(0, value(p, "redis_sentinel_master_ckquorum_status", "master_name", "lonely", "message",
                "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master"));
        assertEquals(1, value(p, "redis_sentinel_master_setting_ckquorum", my));
        assertEquals(3, value(p, "redis_sentinel_master_setting_ckquorum", lonely));
        assertEquals(1000, value(p, "redis_sentinel_master_setting_down_after_milliseconds", my));
        assertEquals(5000, value(p, "redis_sentinel_master_setting_failover_timeout", my));
        assertEquals(180000, value(p, "redis_sentinel_master_setting_failover_timeout", lonely));
        assertEquals(1, value(p, "redis_sentinel_master_setting_parallel_syncs", my));
        assertEquals(0, value(p, "redis_sentinel_master_config_epoch", my));
        assertTrue(value(p, "redis_sentinel_master_last_ok_ping_reply_seconds", my) < 2);
        assertNull(p.family("redis_connected_clients"));
        assertNull(p.family("redis_uptime_in_seconds"));
    }

    @Test
    void perMasterRepliesMissingLeaveTheirFamiliesOut() {
        SentinelMetrics.Snapshot s = new SentinelMetrics.Snapshot(Recorded.text("sentinel-info.txt"),
                Recorded.resp("sentinel-masters.resp"), Map.of());
        PromText p = rendered(SentinelMetrics.families("sentinel", s));
        assertNull(p.family("redis_sentinel_master_ckquorum_status"));
        assertNull(p.family("redis_sentinel_master_ok_slaves"));
        assertEquals(2, value(p, "redis_sentinel_masters"));
        assertEquals(1, value(p, "redis_sentinel_master_setting_ckquorum", "master_name", "mymaster"));
    }

    @Test
    void sentinelAndRedisShareOneBodyWithOneHelpAndTypePerFamily() {
        List<MetricFamily> all = new java.util.ArrayList<>(SentinelMetrics.families("sentinel", recorded()));
        all.addAll(RedisMetrics.families("redis", RedisMetricsTest.master(), RedisMetricsTest.NOW));
        PromText p = rendered(all);
        assertEquals(2, p.family("redis_up").samples.size());
        assertEquals(2, p.family("redis_instance_info").samples.size());
        assertEquals(1, p.family("redis_up").value(Map.of("service", "sentinel")));
        assertEquals(1, p.family("redis_up").value(Map.of("service", "redis")));
    }
}
