package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;

/**
 * Client options for one dedicated connection to a Sentinel. Each connection has a client of its own: the
 * client pools, and closing the client is the only way to close its connection. RESP2, so that messages
 * of a subscription are plain arrays; no pool recycling (a subscription is idle for hours).
 */
final class RedisLinks {
    private RedisLinks() {}

    static RedisOptions options(HostPort address, Secret password, Duration connectTimeout) {
        RedisOptions o = new RedisOptions()
                .setConnectionString("redis://" + address)
                .setNetClientOptions(new NetClientOptions()
                        .setConnectTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())))
                        .setTcpNoDelay(true).setTcpKeepAlive(true))
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(1)
                .setMaxPoolWaiting(1)
                .setMaxWaitingHandlers(64)
                .setPoolCleanerInterval(-1)
                .setPoolRecycleTimeout(-1);
        if (password != null) {
            o.setPassword(password.reveal());
        }
        return o;
    }

    /** A failure's text for logs and answers (the client's error replies have no class name worth showing). */
    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
