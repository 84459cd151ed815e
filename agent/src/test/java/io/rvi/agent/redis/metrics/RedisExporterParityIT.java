package io.rvi.agent.redis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Clock;
import io.rvi.testkit.Await;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.rvi.testkit.RespClient;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rvi's Redis metrics against Debian's prometheus-redis-exporter (1.45), both reading the same real master,
 * replica and Sentinel: same families (name, type, label names plus {@code service}) but for those listed in
 * {@link ExporterParity} with a reason, the same stable values, every metric the common dashboards query,
 * and valid text (promtool when installed, the tests' strict reader always).
 */
class RedisExporterParityIT {
    private final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisHarness harness;

    @BeforeEach
    void setUp() {
        ExternalExporter.assumeInstalled();
        harness = new RedisHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (harness != null) {
            harness.close();
        }
    }

    static AgentConfig.Service service(String name, AgentConfig.Kind kind, RedisProcess p) {
        return RedisExporterIT.service(name, kind, p.host(), p.port(), null, Duration.ofSeconds(1));
    }

    @Test
    void sameFamiliesAndStableValuesAsRedisExporter() throws Exception {
        RedisProcess master = harness.redis("127.0.0.1");
        RedisProcess replica = harness.redis("127.0.0.2", "--replicaof", "127.0.0.1", String.valueOf(master.port()),
                "--replica-announce-ip", "127.0.0.2");
        RedisProcess sentinel = harness.sentinel("127.0.0.1", master, 1);
        try (RespClient c = master.client()) {
            for (int i = 0; i < 10; i++) {
                c.set("k" + i, "v" + i);
            }
            for (int i = 0; i < 3; i++) {
                c.call("SET", "e" + i, "v", "EX", "3600");
            }
            c.call("SELECT", "3");
            c.set("a", "1");
            c.set("b", "2");
            c.call("NOSUCHCOMMAND"); // an error reply: errorstat_ERR
            c.call("CONFIG", "SET", "latency-monitor-threshold", "1");
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "1000");
            c.call("EVAL", "local i = 0 while i < 2000000 do i = i + 1 end return i", "0"); // a latency spike, a slow command
        }
        Await.until("the replica is online with every key", Duration.ofSeconds(15), () -> {
            try (RespClient c = master.client(); RespClient r = replica.client()) {
                return c.info("replication").contains("state=online") && r.info("keyspace").contains("db3:keys=2");
            }
        });
        Await.until("the Sentinel sees the replica", Duration.ofSeconds(15), () -> {
            try (RespClient s = sentinel.client()) {
                return s.info("sentinel").contains("slaves=1");
            }
        });

        Map<String, AgentConfig.Service> services = new LinkedHashMap<>();
        services.put("redis", service("redis", AgentConfig.Kind.REDIS, master));
        services.put("replica", service("replica", AgentConfig.Kind.REDIS, replica));
        services.put("sentinel", service("sentinel", AgentConfig.Kind.SENTINEL, sentinel));
        RedisExporter rvi = new RedisExporter(vertx, services, Clock.SYSTEM);
        closing.add(() -> rvi.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        ExternalExporter exMaster = start(master);
        ExternalExporter exReplica = start(replica);
        ExternalExporter exSentinel = start(sentinel);

        String text = RedisExporterIT.await(rvi.scrape());
        PromText ours = PromText.parse(text);
        assertEquals(List.of(), ours.problems, text);
        Map<String, PromText> theirs = Map.of("redis", PromText.parse(exMaster.get()), "replica", PromText.parse(exReplica.get()),
                "sentinel", PromText.parse(exSentinel.get()));

        // 1. the same families, types and label names (plus service), but for those not produced on purpose
        assertEquals(List.of(), ExporterParity.differences(theirs.get("redis"), ours, "redis", ExporterParity.NOT_PRODUCED_FOR_REDIS));
        assertEquals(List.of(), ExporterParity.differences(theirs.get("replica"), ours, "replica", ExporterParity.NOT_PRODUCED_FOR_REDIS));
        assertEquals(List.of(), ExporterParity.differences(theirs.get("sentinel"), ours, "sentinel",
                ExporterParity.NOT_PRODUCED_FOR_SENTINEL));
        for (String f : List.of("redis_latency_spike_last", "redis_errors_total", "redis_slave_repl_offset", "redis_master_link_up",
                "redis_connected_slave_lag_seconds", "redis_sentinel_master_ckquorum_status", "redis_latency_percentiles_usec")) {
            assertNotNull(ours.family(f), f + ": the test did not bring about what makes it appear");
        }
        // nothing else but the documented extras
        for (String name : ours.families.keySet()) {
            assertTrue(theirs.values().stream().anyMatch(t -> t.families.containsKey(name)) || ExporterParity.RVI_EXTRAS.containsKey(name),
                    name + " is neither redis_exporter's nor a documented extra");
        }
        // 2. every metric the dashboards and alert rules use
        for (String m : ExporterParity.DASHBOARD_METRICS) {
            assertNotNull(ours.family(m), m + " (used by the dashboards) is missing");
        }
        // 3. stable values agree
        for (String svc : List.of("redis", "replica")) {
            PromText t = theirs.get(svc);
            assertEquals(value(t, "redis_connected_slaves", Map.of()), value(ours, "redis_connected_slaves", Map.of("service", svc)), svc);
            for (String db : List.of("db0", "db3", "db1")) {
                assertEquals(value(t, "redis_db_keys", Map.of("db", db)), value(ours, "redis_db_keys", Map.of("service", svc, "db", db)),
                        svc + " " + db);
                assertEquals(value(t, "redis_db_keys_expiring", Map.of("db", db)),
                        value(ours, "redis_db_keys_expiring", Map.of("service", svc, "db", db)), svc + " " + db);
            }
            assertEquals(label(t, "redis_instance_info", Map.of(), "role"),
                    label(ours, "redis_instance_info", Map.of("service", svc), "role"));
            assertEquals(label(t, "redis_instance_info", Map.of(), "run_id"),
                    label(ours, "redis_instance_info", Map.of("service", svc), "run_id"));
        }
        assertEquals(1, value(ours, "redis_connected_slaves", Map.of("service", "redis")));
        assertEquals(10 + 3, value(ours, "redis_db_keys", Map.of("service", "replica", "db", "db0")));
        assertEquals("slave", label(ours, "redis_instance_info", Map.of("service", "replica"), "role"));
        assertEquals(1, value(ours, "redis_master_link_up", Map.of("service", "replica", "master_port", String.valueOf(master.port()))));
        PromText ts = theirs.get("sentinel");
        for (String f : List.of("redis_sentinel_masters", "redis_sentinel_tilt", "redis_sentinel_master_slaves",
                "redis_sentinel_master_sentinels", "redis_sentinel_master_ok_sentinels", "redis_sentinel_master_ok_slaves",
                "redis_sentinel_master_status", "redis_sentinel_master_ckquorum_status")) {
            for (PromText.Sample s : ts.family(f).samples) {
                Map<String, String> filter = new LinkedHashMap<>(s.labels());
                filter.put("service", "sentinel");
                assertEquals(s.value(), value(ours, f, filter), f + s.labels());
            }
        }
        assertEquals(1, value(ours, "redis_sentinel_master_ok_slaves", Map.of("service", "sentinel", "master_name", "mymaster")));
        assertEquals("", label(ours, "redis_instance_info", Map.of("service", "sentinel"), "role"));
        // 4. valid text: promtool objects to nothing it does not object to in redis_exporter's own text
        String lint = ExternalExporter.promtool(text, harness.root());
        if (lint != null && !lint.isEmpty()) {
            assertTrue(lint.startsWith("promtool exit 3"), lint); // 3: lint remarks only; 1: the text did not parse
            Set<String> allowed = new TreeSet<>();
            for (ExternalExporter e : List.of(exMaster, exReplica, exSentinel)) {
                String l = ExternalExporter.promtool(e.get(), harness.root());
                allowed.addAll(List.of(l.split("\n")));
            }
            for (String line : lint.split("\n")) {
                String name = line.split(" ")[0];
                assertTrue(line.startsWith("promtool exit") || allowed.contains(line) || ExporterParity.RVI_EXTRAS.containsKey(name),
                        "promtool: " + line);
            }
        }
        System.out.println("parity: rvi wrote " + ours.families.size() + " families for a master, a replica and a Sentinel; "
                + "redis_exporter " + theirs.get("redis").families.size() + "/" + theirs.get("replica").families.size() + "/"
                + theirs.get("sentinel").families.size() + " (with its Go and process families)");
    }

    private ExternalExporter start(RedisProcess target) {
        ExternalExporter e = new ExternalExporter(target, harness.root());
        closing.add(e);
        return e;
    }

    static double value(PromText p, String family, Map<String, String> filter) {
        assertNotNull(p.family(family), family + " missing");
        Double v = p.family(family).value(filter);
        assertNotNull(v, family + filter + " missing");
        return v;
    }

    static String label(PromText p, String family, Map<String, String> filter, String label) {
        assertNotNull(p.family(family), family + " missing");
        return p.family(family).samples.stream().filter(s -> s.labels().entrySet().containsAll(filter.entrySet()))
                .map(s -> s.labels().get(label)).findFirst().orElseThrow(() -> new AssertionError(family + filter + " missing"));
    }
}
