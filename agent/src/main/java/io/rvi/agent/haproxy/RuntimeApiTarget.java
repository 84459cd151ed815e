package io.rvi.agent.haproxy;

import io.rvi.common.config.HostPort;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Where the runtime API listens: a unix socket path ({@code /run/haproxy/admin.sock}) or {@code host:port}. */
public record RuntimeApiTarget(Path unixPath, HostPort tcp) {

    /** A value starting with '/' or '.' (or naming no port) is a path; otherwise host:port. */
    public static RuntimeApiTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("haproxy.runtime_api is empty");
        }
        String t = text.strip();
        if (t.startsWith("unix@")) {
            t = t.substring(5);
        } else if (t.startsWith("ipv4@")) {
            t = t.substring(5);
        }
        if (!t.startsWith("/") && !t.startsWith(".")) {
            HostPort hp = HostPort.parseOrNull(t);
            if (hp != null) {
                return new RuntimeApiTarget(null, hp);
            }
        }
        return new RuntimeApiTarget(Path.of(t), null);
    }

    public boolean unix() {
        return unixPath != null;
    }

    SocketAddress socketAddress() {
        return unix() ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(tcp.host(), tcp.port());
    }

    @Override
    public String toString() {
        return unix() ? unixPath.toString() : tcp.toString();
    }
}
