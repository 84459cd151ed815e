package io.rvi.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.rvi.testkit.Await;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.rvi.testkit.RespClient;
import io.rvi.testkit.SentinelEstate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SentinelWatcher} against real redis-server and redis-sentinel processes on 127.0.0.1: a failover
 * of a 3+3 estate (kill -9 of the master), a Sentinel killed and restarted, a frozen one, malformed payloads
 * published on a plain Redis subscribed to as if it were a Sentinel, and a reload.
 */
class SentinelWatcherIT {
    private static final SentinelSettings FAST = new SentinelSettings(Duration.ofMillis(500), Duration.ofMillis(300),
            Duration.ofMillis(700), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofMillis(50),
            new FailoverTracker.Settings(Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofSeconds(10), 8));

    private Vertx vertx;
    private PrometheusMeterRegistry registry;
    private final Events events = new Events();
    private final List<SwitchMaster> switches = new CopyOnWriteArrayList<>();
    private final List<JsonObject> published = new CopyOnWriteArrayList<>();
    private SentinelEstate estate;
    private RedisHarness plain;
    private SentinelWatcher watcher;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        vertx.eventBus().<JsonObject>consumer(SwitchMaster.ADDRESS, m -> switches.add(SwitchMaster.fromJson(m.body())));
        vertx.eventBus().<JsonObject>consumer(SentinelEvent.ADDRESS, m -> published.add(m.body()));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (watcher != null) {
                await(watcher.stop());
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            if (estate != null) {
                estate.close();
            }
            if (plain != null) {
                plain.close();
            }
        }
    }

    @Test
    void aFailoverIsPublishedOnceAndTheQuorumFollowsIt() {
        estate = new SentinelEstate(2, 3, 2);
        List<HostPort> sentinels = addresses(estate.sentinelAddresses());
        HostPort oldMaster = HostPort.parseOrNull(estate.master().address());
        List<HostPort> replicas = estate.replicas().stream().map(r -> HostPort.parseOrNull(r.address())).toList();
        watcher = new SentinelWatcher(vertx, failover(sentinels), localSentinel(sentinels.get(0)), events, registry, Clock.SYSTEM, FAST);
        assertEquals(sentinels, watcher.sentinels(), "the local Sentinel is listed: not added twice");
        await(watcher.start());
        Await.until("subscribed to the 3 Sentinels", Duration.ofSeconds(10), () -> sentinels.stream().allMatch(s -> gauge(s) == 1.0));
        Await.until("the quorum names the master", Duration.ofSeconds(5), () -> oldMaster.equals(watcher.quorum().current().master()));
        estate.awaitDiscovery(Duration.ofSeconds(20));

        estate.master().kill9();
        Await.until("a SwitchMaster on the event bus", Duration.ofSeconds(20), () -> !switches.isEmpty(), estate::describe);
        // With down-after-milliseconds 1000 Sentinel sometimes fails the NEW master over too, ~1-2 s later (it goes
        // +sdown right after the switch, before its first PING reply): a second real failover, which must be
        // published too. The truth is the Sentinels' own +switch-master messages: one SwitchMaster per new master
        // they announce (a Sentinel that missed the first switch announces old -> newest directly).
        Await.until("one failover event per switch, and every Sentinel announced the last switch", Duration.ofSeconds(15),
                () -> events.of("failover").size() == switches.size() && newMasters().size() == switches.size()
                        && sentinels.stream().allMatch(x -> announced(x, switches.get(switches.size() - 1).to())),
                () -> switches + "\n" + events + estate.sentinelLogs(40));
        Await.sleep(500); // anything published late would be here by now
        List<HostPort> newMasters = newMasters();
        assertEquals(newMasters, switches.stream().map(SwitchMaster::to).toList(), () -> "one SwitchMaster per switch, in order: "
                + switches);
        long copies = published.stream().filter(j -> "+switch-master".equals(j.getString("channel"))).count();
        assertTrue(copies >= 3, "every Sentinel announced: " + copies);
        assertEquals((double) copies, counter("rvi.sentinel.events", "+switch-master"));
        if (switches.size() > 1) {
            System.err.println("note: Sentinel failed the new master over too; checked as " + switches.size() + " failovers: " + switches);
        }
        switches.forEach(x -> assertTrue(sentinels.contains(x.source()), x.toString()));

        SwitchMaster sm = switches.get(0);
        assertEquals("mymaster", sm.masterName());
        assertEquals(oldMaster, sm.from());
        assertTrue(replicas.contains(sm.to()), sm.to() + " is one of the replicas " + replicas);
        assertTrue(sm.failoverId().startsWith("mymaster-epoch-"), sm.failoverId());

        List<Events.Event> failovers = events.of("failover");
        assertEquals(switches.size(), failovers.size(), events.toString());
        Events.Event ev = failovers.get(0);
        assertEquals("warning", ev.severity());
        assertEquals(sm.failoverId(), ev.data().get("failover_id"));
        assertEquals(oldMaster.toString(), ev.data().get("from"));
        assertEquals(sm.to().toString(), ev.data().get("to"));
        assertEquals("completed", ev.data().get("outcome"));
        assertTrue(((List<?>) ev.data().get("switch_reporters")).size() >= 2, "the leader's copy may come after settle: " + ev);
        long duration = (Long) ev.data().get("duration_ms");
        assertTrue(duration > 0 && duration < 10_000, "duration " + duration);
        assertEquals(switches.size(), events.of("master_sdown").size(), "one master_sdown per incident, not per Sentinel: " + events);

        assertEquals(switches.size(), registry.find("rvi.redis.failovers").tag("master_name", "mymaster").counter().count());
        assertEquals(switches.size(), registry.find("rvi.redis.failover.duration").timer().count());
        assertTrue(registry.find("rvi.sentinel.malformed.events").counters().isEmpty(), "real payloads all parse");
        String scrape = registry.scrape();
        assertTrue(scrape.contains("rvi_redis_failovers_total{master_name=\"mymaster\"} " + switches.size() + ".0"), scrape);
        assertTrue(scrape.contains("rvi_redis_failover_duration_seconds_count{master_name=\"mymaster\"} " + switches.size()), scrape);
        assertTrue(scrape.contains("rvi_sentinel_subscribed{sentinel=\"" + sentinels.get(0) + "\"} 1.0"), scrape);
        assertTrue(scrape.contains("rvi_sentinel_events_total{type=\"+switch-master\"} " + copies + ".0"), scrape);

        HostPort last = switches.get(switches.size() - 1).to();
        Await.until("the quorum names the new master", Duration.ofSeconds(5), () -> last.equals(watcher.quorum().current().master()));
        QuorumView v = await(watcher.quorum().masterAddress());
        assertEquals(last, v.master());
        assertEquals(3, v.votes());
        assertEquals(2, v.needed());
    }

    @Test
    void aKilledSentinelIsSubscribedAgainWhenItIsBack() {
        estate = new SentinelEstate(1, 3, 2);
        List<HostPort> sentinels = addresses(estate.sentinelAddresses());
        HostPort master = HostPort.parseOrNull(estate.master().address());
        watcher = new SentinelWatcher(vertx, failover(sentinels), null, events, registry, Clock.SYSTEM, FAST);
        await(watcher.start());
        Await.until("subscribed to the 3 Sentinels", Duration.ofSeconds(10), () -> sentinels.stream().allMatch(s -> gauge(s) == 1.0));

        estate.killSentinel(1);
        Await.until("gauge of the killed Sentinel at 0", Duration.ofSeconds(5), () -> gauge(sentinels.get(1)) == 0.0);
        assertFalse(watcher.subscribed(sentinels.get(1)));
        QuorumView v = await(watcher.quorum().refresh());
        assertEquals(master, v.master(), "2 of 3 still agree: " + v);
        assertEquals(SentinelAnswer.Kind.UNREACHABLE, v.answers().get(sentinels.get(1)).kind());
        Await.sleep(1500); // a few retries while it is down

        estate.restartSentinel(1);
        Await.until("subscribed again", Duration.ofSeconds(5), () -> gauge(sentinels.get(1)) == 1.0);
        assertTrue(watcher.subscribed(sentinels.get(1)));
        assertEquals(1.0, gauge(sentinels.get(0)));
        assertEquals(1.0, gauge(sentinels.get(2)));
        Await.until("the restarted Sentinel answers the quorum again", Duration.ofSeconds(5),
                () -> watcher.quorum().current().votes() == 3);
    }

    @Test
    void malformedPayloadsAreCountedAndTheSubscriptionGoesOn() {
        plain = new RedisHarness();
        RedisProcess fake = plain.redis("127.0.0.1");
        HostPort s = HostPort.parseOrNull(fake.address());
        watcher = new SentinelWatcher(vertx, failover(List.of(s)), null, events, registry, Clock.SYSTEM, FAST);
        await(watcher.start());
        Await.until("subscribed", Duration.ofSeconds(10), () -> gauge(s) == 1.0);
        try (RespClient c = fake.client()) {
            c.call("PUBLISH", "+switch-master", "garbage");
            c.call("PUBLISH", "+switch-master", "mymaster 127.0.0.1 notaport 127.0.0.1 6380");
            c.call("PUBLISH", "+sdown", "nonsense words");
            c.call("PUBLISH", "+new-epoch", "soon");
            c.call("PUBLISH", "+tilt", "#tilt mode entered");
        }
        Await.until("the message after the malformed ones handled", Duration.ofSeconds(5), () -> !events.of("sentinel_tilt").isEmpty());
        assertEquals(2.0, counter("rvi.sentinel.malformed.events", "+switch-master"));
        assertEquals(1.0, counter("rvi.sentinel.malformed.events", "+sdown"));
        assertEquals(1.0, counter("rvi.sentinel.malformed.events", "+new-epoch"));
        assertTrue(switches.isEmpty());
        assertEquals(1, published.size(), "only the good one published: " + published);
        assertEquals(1.0, gauge(s), "still subscribed");

        QuorumView v = await(watcher.quorum().masterAddress());
        assertFalse(v.hasQuorum());
        assertEquals(SentinelAnswer.Kind.ERROR, v.answers().get(s).kind(), "a plain Redis has no SENTINEL command: " + v);
    }

    @Test
    void aFrozenSentinelIsFoundByTheHeartbeat() throws Exception {
        plain = new RedisHarness();
        RedisProcess fake = plain.redis("127.0.0.1");
        HostPort s = HostPort.parseOrNull(fake.address());
        watcher = new SentinelWatcher(vertx, failover(List.of(s)), null, events, registry, Clock.SYSTEM, FAST);
        await(watcher.start());
        Await.until("subscribed", Duration.ofSeconds(10), () -> gauge(s) == 1.0);
        signal("STOP", fake.pid());
        try {
            Await.until("the silent connection dropped", Duration.ofSeconds(5), () -> gauge(s) == 0.0);
        } finally {
            signal("CONT", fake.pid());
        }
        Await.until("subscribed again", Duration.ofSeconds(5), () -> gauge(s) == 1.0);
        try (RespClient c = fake.client()) {
            c.call("PUBLISH", "+tilt", "#tilt mode entered");
        }
        Await.until("events flow again", Duration.ofSeconds(5), () -> events.of("sentinel_tilt").size() == 1);
    }

    @Test
    void theLocalSentinelsPasswordIsUsed() {
        plain = new RedisHarness();
        RedisProcess locked = plain.redis("127.0.0.1");
        try (RespClient c = locked.client()) {
            c.call("CONFIG", "SET", "requirepass", "s3ntinel-pass"); // after start: the harness waits for PONG
        }
        HostPort s = HostPort.parseOrNull(locked.address());
        AgentConfig.Service local = new AgentConfig.Service("sentinel", AgentConfig.Kind.SENTINEL, s,
                new Secret("s3ntinel-pass", "test"), AgentConfig.Mode.NONE, null, List.of(), null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 3);
        watcher = new SentinelWatcher(vertx, failover(List.of()), local, events, registry, Clock.SYSTEM, FAST);
        assertEquals(List.of(s), watcher.sentinels(), "the local Sentinel is watched even when not listed");
        await(watcher.start());
        Await.until("subscribed with AUTH", Duration.ofSeconds(10), () -> gauge(s) == 1.0);
        QuorumView v = await(watcher.quorum().masterAddress());
        assertTrue(v.answers().get(s).error().contains("unknown command"), "authenticated, then asked: " + v);
    }

    @Test
    void aReloadKeepsTheSubscriptionsOfUnchangedSentinels() {
        plain = new RedisHarness();
        RedisProcess r1 = plain.redis("127.0.0.1");
        RedisProcess r2 = plain.redis("127.0.0.1");
        HostPort s1 = HostPort.parseOrNull(r1.address());
        HostPort s2 = HostPort.parseOrNull(r2.address());
        watcher = new SentinelWatcher(vertx, failover(List.of(s1)), null, events, registry, Clock.SYSTEM, FAST);
        await(watcher.start());
        Await.until("subscribed to 1", Duration.ofSeconds(10), () -> gauge(s1) == 1.0);
        long id1 = pubsubClientId(r1);

        await(watcher.reconfigure(failover(List.of(s1, s2)), null));
        Await.until("subscribed to 2", Duration.ofSeconds(10), () -> gauge(s2) == 1.0);
        assertEquals(id1, pubsubClientId(r1), "the subscription to the unchanged Sentinel was kept");
        Await.until("the quorum asks both", Duration.ofSeconds(5),
                () -> List.copyOf(watcher.quorum().current().answers().keySet()).equals(List.of(s1, s2)));
        long id2 = pubsubClientId(r2);

        await(watcher.reconfigure(failover(List.of(s2)), null));
        assertNull(registry.find("rvi.sentinel.subscribed").tag("sentinel", s1.toString()).gauge(), "gauge of a removed Sentinel");
        Await.until("unsubscribed from the removed Sentinel", Duration.ofSeconds(5), () -> pubsubClientId(r1) == -1);
        assertEquals(id2, pubsubClientId(r2));

        await(watcher.reconfigure(null, null));
        Await.until("nothing watched without a failover section", Duration.ofSeconds(5), () -> pubsubClientId(r2) == -1);
        assertTrue(watcher.sentinels().isEmpty());
    }

    /** The new masters the Sentinels announced (+switch-master), in order of first announcement. */
    private List<HostPort> newMasters() {
        return published.stream().filter(j -> "+switch-master".equals(j.getString("channel")))
                .map(j -> HostPort.parseOrNull(j.getString("new_master_address"))).distinct().toList();
    }

    /** Whether {@code sentinel} announced a switch to {@code to}. */
    private boolean announced(HostPort sentinel, HostPort to) {
        return published.stream().anyMatch(j -> "+switch-master".equals(j.getString("channel"))
                && sentinel.toString().equals(j.getString("source")) && to.toString().equals(j.getString("new_master_address")));
    }

    private static AgentConfig.Failover failover(List<HostPort> sentinels) {
        return new AgentConfig.Failover("mymaster", sentinels, true, 1024 * 1024, Duration.ofMillis(200));
    }

    private static AgentConfig.Service localSentinel(HostPort address) {
        return new AgentConfig.Service("sentinel", AgentConfig.Kind.SENTINEL, address, null, AgentConfig.Mode.NONE, null, List.of(),
                null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), 3);
    }

    private static List<HostPort> addresses(List<String> hostPorts) {
        return hostPorts.stream().map(HostPort::parseOrNull).toList();
    }

    private double gauge(HostPort sentinel) {
        Gauge g = registry.find("rvi.sentinel.subscribed").tag("sentinel", sentinel.toString()).gauge();
        return g == null ? -1 : g.value();
    }

    private double counter(String name, String type) {
        var c = registry.find(name).tag("type", type).counter();
        return c == null ? 0 : c.count();
    }

    /** The id of the (one) pub/sub client connected to {@code r}, or -1. */
    private static long pubsubClientId(RedisProcess r) {
        try (RespClient c = r.client()) {
            Matcher m = Pattern.compile("id=(\\d+) .*psub=1").matcher(String.valueOf(c.call("CLIENT", "LIST", "TYPE", "pubsub")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill -" + sig + " " + pid);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
