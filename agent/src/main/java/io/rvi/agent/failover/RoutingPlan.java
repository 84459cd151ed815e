package io.rvi.agent.failover;

import io.rvi.agent.haproxy.HaproxyServer;
import io.rvi.common.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to tell HAProxy so that writes reach only {@code master}: two phases, run in order, the
 * commands of a phase in parallel. First every other server of the write backend goes to maint (no new
 * connection can reach an old master), then the master is made ready (and marked up, so no health check
 * interval is waited for) while the others' open sessions are shut.
 */
public record RoutingPlan(HostPort master, String masterServer, List<Step> first, List<Step> second) {
    public enum Kind { MAINT, READY, HEALTH_UP, SHUTDOWN_SESSIONS }

    public record Step(Kind kind, String server) {}

    public boolean isEmpty() {
        return first.isEmpty() && second.isEmpty();
    }

    /** On a switch: the whole topology, pushed unconditionally. */
    public static RoutingPlan full(Map<HostPort, String> servers, HostPort master) {
        String ms = serverOf(servers, master);
        List<Step> first = new ArrayList<>();
        List<Step> second = new ArrayList<>();
        servers.forEach((addr, name) -> {
            if (!name.equals(ms)) {
                first.add(new Step(Kind.MAINT, name));
                second.add(new Step(Kind.SHUTDOWN_SESSIONS, name));
            }
        });
        if (ms != null) {
            second.add(0, new Step(Kind.READY, ms));
            second.add(1, new Step(Kind.HEALTH_UP, ms));
        }
        return new RoutingPlan(master, ms, List.copyOf(first), List.copyOf(second));
    }

    /**
     * On the periodic re-check: only the differences from HAProxy's {@code current} state. The master's
     * health is left to the health checks (which ask {@code /redis/master}); only its admin state is fixed.
     */
    public static RoutingPlan corrections(Map<HostPort, String> servers, HostPort master, List<HaproxyServer> current) {
        String ms = serverOf(servers, master);
        List<Step> first = new ArrayList<>();
        List<Step> second = new ArrayList<>();
        for (HaproxyServer s : current) {
            if (!servers.containsValue(s.server())) {
                continue; // not one of ours
            }
            if (s.server().equals(ms)) {
                if (s.maint() || s.drain()) {
                    second.add(0, new Step(Kind.READY, ms));
                }
            } else if (!s.maint()) {
                first.add(new Step(Kind.MAINT, s.server()));
                second.add(new Step(Kind.SHUTDOWN_SESSIONS, s.server()));
            }
        }
        return new RoutingPlan(master, ms, List.copyOf(first), List.copyOf(second));
    }

    /** The HAProxy server name of {@code addr}, or null when the config maps none. */
    public static String serverOf(Map<HostPort, String> servers, HostPort addr) {
        for (Map.Entry<HostPort, String> e : servers.entrySet()) {
            if (Addresses.same(e.getKey(), addr)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "master=" + master + (masterServer == null ? " (no haproxy server mapped)" : " (" + masterServer + ")")
                + " first=" + first + " then=" + second;
    }
}
