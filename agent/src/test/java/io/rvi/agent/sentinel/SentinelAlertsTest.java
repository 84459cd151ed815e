package io.rvi.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.HostPort;
import org.junit.jupiter.api.Test;

/** TILT and master-down events: one pair per incident, not one per Sentinel. */
class SentinelAlertsTest {
    private static final HostPort S1 = new HostPort("10.0.0.1", 26379);
    private static final HostPort S2 = new HostPort("10.0.0.2", 26379);
    private final Events events = new Events();
    private final SentinelAlerts alerts = new SentinelAlerts(events);
    private final SentinelEventParser parser = new SentinelEventParser();

    private void feed(HostPort s, String channel, String payload) {
        alerts.accept(parser.parse(s, 1, channel, payload).event());
    }

    @Test
    void tiltEnterAndExitPerSentinel() {
        feed(S1, "+tilt", "#tilt mode entered");
        feed(S2, "+tilt", "#tilt mode entered");
        feed(S1, "-tilt", "#tilt mode exited");
        assertEquals(2, events.of("sentinel_tilt").size());
        assertEquals(1, events.of("sentinel_tilt_exit").size());
        assertEquals("warning", events.of("sentinel_tilt_exit").get(0).severity());
        assertEquals("10.0.0.1:26379", events.of("sentinel_tilt").get(0).data().get("sentinel"));
    }

    @Test
    void masterSdownFoldedAcrossSentinels() {
        feed(S1, "+sdown", "master mymaster 10.0.0.1 6379");
        feed(S2, "+sdown", "master mymaster 10.0.0.1 6379");
        feed(S1, "+sdown", "slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379");
        assertEquals(1, events.of("master_sdown").size(), events.toString());
        assertEquals("warning", events.of("master_sdown").get(0).severity());
        feed(S1, "-sdown", "master mymaster 10.0.0.1 6379");
        assertTrue(events.of("master_sdown_clear").isEmpty(), "S2 still sees it down");
        feed(S2, "-sdown", "master mymaster 10.0.0.1 6379");
        assertEquals(1, events.of("master_sdown_clear").size());
        assertEquals("info", events.of("master_sdown_clear").get(0).severity());
        feed(S2, "-sdown", "master mymaster 10.0.0.1 6379");
        assertEquals(1, events.of("master_sdown_clear").size(), "no second all-clear");
    }

    @Test
    void aSwitchForgetsTheIncidentSilently() {
        feed(S1, "+sdown", "master mymaster 10.0.0.1 6379");
        feed(S1, "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
        feed(S1, "-sdown", "master mymaster 10.0.0.1 6379");
        assertTrue(events.of("master_sdown_clear").isEmpty());
        feed(S2, "+sdown", "master mymaster 10.0.0.2 6379");
        assertEquals(2, events.of("master_sdown").size(), "a new incident of the new master");
    }

    @Test
    void aLostSubscriptionForgetsWhatThatSentinelSaw() {
        feed(S1, "+sdown", "master mymaster 10.0.0.1 6379");
        alerts.lost(S1);
        feed(S2, "+sdown", "master mymaster 10.0.0.1 6379");
        assertEquals(2, events.of("master_sdown").size());
        assertTrue(events.of("master_sdown_clear").isEmpty());
    }
}
