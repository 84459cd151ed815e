package io.rvi.agent.redis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The text exposition writer, the INFO parser and the strict reader the tests use. */
class ExpositionTest {
    @Test
    void writesHelpTypeAndSamplesExactlyAsNamed() {
        Families f = new Families("service", "redis");
        f.counter("commands_total", "Total number of calls per command", 3, "cmd", "get");
        f.counter("commands_total", "Total number of calls per command", 4, "cmd", "set");
        f.gauge("connected_clients", null, 7);
        assertEquals("""
                # HELP redis_commands_total Total number of calls per command
                # TYPE redis_commands_total counter
                redis_commands_total{service="redis",cmd="get"} 3
                redis_commands_total{service="redis",cmd="set"} 4
                # HELP redis_connected_clients connected_clients metric
                # TYPE redis_connected_clients gauge
                redis_connected_clients{service="redis"} 7
                """, Exposition.render(f.list()));
    }

    @Test
    void escapesLabelValuesAndHelp() {
        Families f = new Families("service", "a\"b");
        f.gauge("x", "line one\nback\\slash", 1, "message", "quote \" backslash \\ newline \n end");
        String text = Exposition.render(f.list());
        assertTrue(text.contains("# HELP redis_x line one\\nback\\\\slash\n"), text);
        assertTrue(text.contains("redis_x{service=\"a\\\"b\",message=\"quote \\\" backslash \\\\ newline \\n end\"} 1\n"), text);
        PromText p = PromText.parse(text);
        assertEquals(List.of(), p.problems);
        assertEquals("quote \" backslash \\ newline \n end", p.family("redis_x").samples.get(0).labels().get("message"));
    }

    @Test
    void numbers() {
        assertEquals("0", Exposition.number(0));
        assertEquals("0", Exposition.number(-0.0));
        assertEquals("-1", Exposition.number(-1));
        assertEquals("25276514304", Exposition.number(25276514304.0));
        assertEquals("5.37", Exposition.number(5.37));
        assertEquals("2.49E-4", Exposition.number(249e-6));
        assertEquals("1.0E15", Exposition.number(1e15));
        assertEquals("NaN", Exposition.number(Double.NaN));
        assertEquals("+Inf", Exposition.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Exposition.number(Double.NEGATIVE_INFINITY));
    }

    @Test
    void sameFamilyFromTwoServicesIsOneFamilyAndRepeatsAreDropped() {
        Families a = new Families("service", "redis");
        a.gauge("up", "Information about the Redis instance", 1);
        a.gauge("up", "Information about the Redis instance", 0); // the same series again: dropped
        Families b = new Families("service", "sentinel");
        b.gauge("up", "Information about the Redis instance", 1);
        b.gauge("sentinel_masters", "The number of masters this sentinel is watching", 1);
        List<MetricFamily> all = new ArrayList<>(b.list());
        all.addAll(a.list());
        String text = Exposition.render(all);
        PromText p = PromText.parse(text);
        assertEquals(List.of(), p.problems, text);
        assertEquals(List.of("redis_sentinel_masters", "redis_up"), List.copyOf(new TreeMap<>(p.families).keySet()));
        assertEquals(1, text.split("# TYPE redis_up ", -1).length - 1);
        assertEquals(2, p.family("redis_up").samples.size());
        assertEquals(1, p.family("redis_up").value(Map.of("service", "redis")));
    }

    @Test
    void summaryLines() {
        Families f = new Families("service", "redis");
        f.summary("latency_percentiles_usec", "A summary", new TreeMap<>(Map.of(50.0, 1.0, 99.9, 3.5)), 70, 9, "cmd", "get");
        assertEquals("""
                # HELP redis_latency_percentiles_usec A summary
                # TYPE redis_latency_percentiles_usec summary
                redis_latency_percentiles_usec{service="redis",cmd="get",quantile="50"} 1
                redis_latency_percentiles_usec{service="redis",cmd="get",quantile="99.9"} 3.5
                redis_latency_percentiles_usec_sum{service="redis",cmd="get"} 70
                redis_latency_percentiles_usec_count{service="redis",cmd="get"} 9
                """, Exposition.render(f.list()));
        assertEquals(List.of("service", "cmd"), f.list().get(0).labelNames());
    }

    @Test
    void sanitize() {
        assertEquals("cluster_stats_messages_ping_sent", Exposition.sanitize("cluster_stats_messages_ping_sent"));
        assertEquals("a_b_c", Exposition.sanitize("a-b.c"));
    }

    @Test
    void infoParsing() {
        Info i = Info.parse("# Server\r\nredis_version:7.0.15\r\nexecutable:/usr/bin/redis-server\r\n\r\n# Sentinel\r\n"
                + "master0:name=m,status=ok,address=10.0.0.1:6379,slaves=2,sentinels=3\r\nnot a field\r\n");
        assertEquals(3, i.fields().size());
        assertEquals("7.0.15", i.get("redis_version"));
        assertEquals("/usr/bin/redis-server", i.get("executable"));
        assertEquals("Sentinel", i.fields().get(2).section());
        assertEquals("10.0.0.1:6379", Info.pairs(i.get("master0")).get("address"));
        assertNull(Info.pairs("a=1,b"));
        assertNull(Info.pairs("a=1=2"));
    }

    @Test
    void infoNumbers() {
        assertEquals(1.0, Info.number("ok"));
        assertEquals(1.0, Info.number("true"));
        assertEquals(0.0, Info.number("err"));
        assertEquals(0.0, Info.number("fail"));
        assertEquals(-1.0, Info.number("-1"));
        assertEquals(0.5, Info.number(".5"));
        assertEquals(1e6, Info.number("1e6"));
        assertTrue(Info.number("nan").isNaN());
        assertEquals(Double.POSITIVE_INFINITY, Info.number("inf"));
        for (String bad : new String[] {"1.27M", "97.43%", "1d", "0x10", "", "e5", "1e", "-", "jemalloc-5.3.0", "١"}) {
            assertNull(Info.number(bad), bad);
        }
        assertEquals(0, Info.integerOrZero("x"));
        assertEquals(-1, Info.integerOrZero("-1"));
    }

    @Test
    void strictReaderCatchesBrokenText() {
        String broken = """
                # TYPE a gauge
                # TYPE a gauge
                a 1
                b{x="1"} 2
                a{y="2"} 3
                c{x="\\q"} 1
                d 1x
                b{x="1"} 2
                """;
        List<String> problems = PromText.parse(broken).problems;
        assertEquals(6, problems.size(), problems.toString());
    }
}
