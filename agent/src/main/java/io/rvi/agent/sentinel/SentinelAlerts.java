package io.rvi.agent.sentinel;

import io.rvi.agent.core.EventSink;
import io.rvi.common.config.HostPort;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Agent events for what a person should hear about besides failovers:
 * <ul>
 *   <li>{@code sentinel_tilt} / {@code sentinel_tilt_exit} (warning): a Sentinel entered / left TILT mode
 *       (its own state, so one event per Sentinel);</li>
 *   <li>{@code master_sdown} (warning) when the first Sentinel sees the master subjectively down, and
 *       {@code master_sdown_clear} (info) when the last one that saw it down sees it up again: one pair per
 *       incident, not one per Sentinel. A +switch-master, +reset-master or -monitor of the master forgets the
 *       incident without an event (the failover event tells the rest).</li>
 * </ul>
 * Plain class; call from one thread.
 */
final class SentinelAlerts {
    private final EventSink events;
    /** Per master name: the Sentinels that see it subjectively down now. */
    private final Map<String, Set<HostPort>> down = new HashMap<>();

    SentinelAlerts(EventSink events) {
        this.events = events;
    }

    void accept(SentinelEvent e) {
        switch (e.type()) {
            case TILT -> events.emit("sentinel_tilt", "warning", null, "Sentinel " + e.source() + " entered TILT mode", data(e));
            case TILT_CLEARED -> events.emit("sentinel_tilt_exit", "warning", null, "Sentinel " + e.source() + " left TILT mode", data(e));
            case SDOWN -> {
                if (e.aboutMaster()) {
                    Set<HostPort> by = down.computeIfAbsent(e.masterName(), k -> new HashSet<>());
                    if (by.isEmpty()) {
                        events.emit("master_sdown", "warning", null, "master " + e.masterName() + " (" + e.masterAddress()
                                + ") is subjectively down for Sentinel " + e.source(), data(e));
                    }
                    by.add(e.source());
                }
            }
            case SDOWN_CLEARED -> {
                Set<HostPort> by = e.aboutMaster() ? down.get(e.masterName()) : null;
                if (by != null && by.remove(e.source()) && by.isEmpty()) {
                    down.remove(e.masterName());
                    events.emit("master_sdown_clear", "info", null, "master " + e.masterName() + " (" + e.masterAddress()
                            + ") is up again for every Sentinel that saw it down", data(e));
                }
            }
            case SWITCH_MASTER, RESET_MASTER, UNMONITOR -> down.remove(e.masterName());
            default -> { }
        }
    }

    /** A Sentinel's subscription was lost: what it saw is unknown now (forgotten without an event). */
    void lost(HostPort sentinel) {
        down.values().forEach(s -> s.remove(sentinel));
        down.values().removeIf(Set::isEmpty);
    }

    private static Map<String, Object> data(SentinelEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sentinel", e.source().toString());
        m.put("channel", e.channel());
        if (e.masterName() != null) {
            m.put("master_name", e.masterName());
            m.put("master_address", e.masterAddress().toString());
        }
        m.put("payload", e.payload());
        return m;
    }
}
