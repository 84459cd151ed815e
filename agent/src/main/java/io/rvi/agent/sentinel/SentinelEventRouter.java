package io.rvi.agent.sentinel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every message of every Sentinel goes: parsed, counted ({@code rvi_sentinel_events_total{type}}),
 * published (every parsed event), then passed to the failover tracker and the alerts when it concerns the
 * watched master (or no master: +tilt, +new-epoch...). A malformed payload is counted
 * ({@code rvi_sentinel_malformed_events_total{type}}), logged once per type, and goes nowhere else. Never
 * throws. Call it from one thread.
 */
final class SentinelEventRouter {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelEventRouter.class);

    private final SentinelEventParser parser = new SentinelEventParser();
    private final Clock clock;
    private final MeterRegistry registry;
    private final FailoverTracker tracker;
    private final SentinelAlerts alerts;
    private final Consumer<SentinelEvent> publisher;
    private final Set<SentinelEventType> malformedLogged = EnumSet.noneOf(SentinelEventType.class);
    private volatile String masterName;

    SentinelEventRouter(Clock clock, MeterRegistry registry, FailoverTracker tracker, SentinelAlerts alerts,
                        Consumer<SentinelEvent> publisher, String masterName) {
        this.clock = clock;
        this.registry = registry;
        this.tracker = tracker;
        this.alerts = alerts;
        this.publisher = publisher;
        this.masterName = masterName;
    }

    void masterName(String name) {
        this.masterName = name;
    }

    void message(HostPort source, String channel, String payload) {
        SentinelEventParser.Parsed p = parser.parse(source, clock.millis(), channel, payload);
        String label = p.type().label();
        Counter.builder("rvi.sentinel.events").description("Messages received from Sentinels (every Sentinel's copy), by type")
                .tag("type", label).register(registry).increment();
        if (!p.ok()) {
            Counter.builder("rvi.sentinel.malformed.events").description("Sentinel messages whose payload has not its type's form")
                    .tag("type", label).register(registry).increment();
            if (malformedLogged.add(p.type())) {
                LOG.warn("sentinel {}: malformed {} payload \"{}\": {} (ignored; logged once per type, counted in "
                        + "rvi_sentinel_malformed_events_total)", source, label, clip(payload), p.problem());
            }
            return;
        }
        SentinelEvent e = p.event();
        LOG.debug("sentinel {}: {} {}", source, channel, payload);
        try {
            publisher.accept(e);
            if (e.masterName() == null || e.masterName().equals(masterName)) {
                tracker.accept(e);
                alerts.accept(e);
            }
        } catch (RuntimeException ex) {
            LOG.error("sentinel {}: handling {} failed: {}", source, label, ex.toString(), ex);
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replace('\n', ' ').replace('\r', ' ').replace('"', '\'');
    }
}
