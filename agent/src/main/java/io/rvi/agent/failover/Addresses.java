package io.rvi.agent.failover;

import io.rvi.common.config.HostPort;
import java.util.Locale;

/** Address comparison as Sentinel and Redis report them (host names compared without case). */
final class Addresses {
    private Addresses() {}

    static boolean same(HostPort a, HostPort b) {
        if (a == null || b == null) {
            return false;
        }
        return a.port() == b.port() && norm(a.host()).equals(norm(b.host()));
    }

    private static String norm(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") ? "127.0.0.1" : h;
    }
}
