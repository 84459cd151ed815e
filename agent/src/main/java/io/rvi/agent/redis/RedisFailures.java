package io.rvi.agent.redis;

import io.rvi.common.config.HostPort;

/** How vertx-redis-client failures read to an operator: connection closed, not a Redis peer, or the message. */
public final class RedisFailures {
    private static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";
    private static final String[] NOT_RESP = {"ILLEGAL_STATE", "Invalid REDIS format", "Invalid boolean value"};

    private RedisFailures() {}

    /** The peer closed the connection. */
    public static boolean closed(Throwable t) {
        return CONNECTION_CLOSED.equals(t.getMessage());
    }

    /** The peer does not speak RESP (another program on the port). */
    public static boolean notResp(Throwable t) {
        String m = message(t);
        for (String prefix : NOT_RESP) {
            if (m.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** One line for logs and status: "connection closed by ADDR", "not a Redis reply: ...", or the message. */
    public static String describe(Throwable t, HostPort address) {
        if (closed(t)) {
            return "connection closed by " + address;
        }
        return notResp(t) ? "not a Redis reply: " + message(t) : message(t);
    }

    public static String message(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
