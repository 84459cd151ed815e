package io.rvi.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on a loopback address (127.0.0.1, 127.0.0.2, ...). A port is handed out once per JVM,
 * so two tests asking at the same time never get the same one.
 */
public final class FreePorts {
    private static final Set<String> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** A port nothing listens on now on {@code host}. */
    public static int free(String host) {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
                int port = s.getLocalPort();
                if (GIVEN.add(host + ":" + port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on " + host, e);
            }
        }
        throw new IllegalStateException("no free port on " + host + " after 50 tries");
    }

    /** A free port on 127.0.0.1. */
    public static int free() {
        return free("127.0.0.1");
    }
}
