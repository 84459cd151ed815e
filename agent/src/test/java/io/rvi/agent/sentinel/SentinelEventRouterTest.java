package io.rvi.agent.sentinel;

import io.rvi.testkit.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.common.config.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counting, publishing, filtering by master, and malformed payloads. */
class SentinelEventRouterTest {
    private static final HostPort S1 = new HostPort("10.0.0.1", 26379);
    private final FakeClock clock = new FakeClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SwitchMaster> switches = new ArrayList<>();
    private final List<SentinelEvent> published = new ArrayList<>();
    private final Events events = new Events();
    private final FailoverTracker tracker = new FailoverTracker(clock, registry, FailoverTracker.Settings.DEFAULTS,
            new FailoverTracker.Listener() {
                @Override
                public void switchMaster(SwitchMaster s) {
                    switches.add(s);
                }

                @Override
                public void failover(FailoverRecord r) {
                }
            });
    private final SentinelEventRouter router = new SentinelEventRouter(clock, registry, tracker, new SentinelAlerts(events),
            published::add, "mymaster");

    private double count(String name, String type) {
        var c = registry.find(name).tag("type", type).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void countsPublishesAndFolds() {
        router.message(S1, "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
        router.message(S1, "+tilt", "#tilt mode entered");
        router.message(S1, "+weird", "x");
        assertEquals(1, count("rvi.sentinel.events", "+switch-master"));
        assertEquals(1, count("rvi.sentinel.events", "other"));
        assertEquals(3, published.size());
        assertEquals(clock.millis(), published.get(0).receivedAt());
        assertEquals(1, switches.size());
        assertEquals(1, events.of("sentinel_tilt").size());
    }

    @Test
    void otherMastersArePublishedButNotFolded() {
        router.message(S1, "+switch-master", "othermaster 10.0.0.1 6379 10.0.0.2 6379");
        router.message(S1, "+sdown", "master othermaster 10.0.0.1 6379");
        assertEquals(2, published.size());
        assertTrue(switches.isEmpty());
        assertTrue(events.all.isEmpty());
        router.masterName("othermaster");
        router.message(S1, "+switch-master", "othermaster 10.0.0.2 6379 10.0.0.3 6379");
        assertEquals(1, switches.size());
    }

    @Test
    void malformedIsCountedPerTypeAndGoesNowhere() {
        for (int i = 0; i < 3; i++) {
            router.message(S1, "+switch-master", "garbage " + i);
        }
        router.message(S1, "+new-epoch", "x");
        router.message(S1, "+sdown", null);
        assertEquals(3, count("rvi.sentinel.malformed.events", "+switch-master"));
        assertEquals(1, count("rvi.sentinel.malformed.events", "+new-epoch"));
        assertEquals(1, count("rvi.sentinel.malformed.events", "+sdown"));
        assertEquals(3, count("rvi.sentinel.events", "+switch-master"), "received, even if malformed");
        assertTrue(published.isEmpty());
        assertTrue(switches.isEmpty());
        clock.advance(Duration.ofSeconds(1));
        router.message(S1, "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
        assertEquals(1, switches.size(), "still working after malformed payloads");
    }
}
