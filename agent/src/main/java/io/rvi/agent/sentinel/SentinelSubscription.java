package io.rvi.agent.sentinel;

import io.rvi.agent.core.Backoff;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Sentinel's event stream: a dedicated connection in pub/sub mode ({@code PSUBSCRIBE *}), made again
 * with backoff whenever it drops, cannot be made, or stops answering the heartbeat PING. Logs once when the
 * Sentinel becomes unreachable and once when it is back, not on every retry. Non-blocking; every method
 * and callback runs on the owner's Vert.x context.
 *
 * <p>In RESP2 the client hands a reply to the oldest command waiting for one, so a message that arrives
 * while the heartbeat PING waits completes the PING: it is passed on like any other message, and the
 * PING's own reply then arrives as a message (and is ignored). Nothing is lost.
 */
final class SentinelSubscription {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelSubscription.class);

    /** Where messages and state changes go (on the owner's context). */
    interface Listener {
        void message(HostPort sentinel, String channel, String payload);

        void subscribed(HostPort sentinel, boolean subscribed);
    }

    private final Vertx vertx;
    private final HostPort address;
    private final SentinelSettings settings;
    private final Backoff backoff;
    private final Listener listener;
    private volatile Secret password;

    private Redis client;
    private RedisConnection connection;
    private int generation;
    private int failures;
    private boolean subscribed;
    private boolean everSubscribed;
    private boolean reportedDown;
    private boolean closed;
    private boolean pingWaiting;
    private long pingSentNanos;
    private long retryTimer = -1;
    private long guardTimer = -1;
    private long heartbeatTimer = -1;

    SentinelSubscription(Vertx vertx, HostPort address, Secret password, SentinelSettings settings, Backoff backoff, Listener listener) {
        this.vertx = vertx;
        this.address = address;
        this.password = password;
        this.settings = settings;
        this.backoff = backoff;
        this.listener = listener;
    }

    HostPort address() {
        return address;
    }

    boolean subscribed() {
        return subscribed;
    }

    /** The password for the next connection (the current one stays as it is). */
    void password(Secret password) {
        this.password = password;
    }

    void start() {
        connect();
    }

    /** Closes the connection and stops retrying. */
    Future<Void> close() {
        closed = true;
        generation++;
        cancelTimers();
        cancel(retryTimer);
        retryTimer = -1;
        boolean was = subscribed;
        subscribed = false;
        if (was) {
            listener.subscribed(address, false);
        }
        connection = null;
        Redis c = client;
        client = null;
        return c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
    }

    private void connect() {
        retryTimer = -1;
        if (closed) {
            return;
        }
        int gen = ++generation;
        Redis c = Redis.createClient(vertx, RedisLinks.options(address, password, settings.connectTimeout()));
        client = c;
        // the client has no limit for the handshake (HELLO / AUTH) nor for the PSUBSCRIBE confirmation
        guardTimer = vertx.setTimer(2 * Math.max(1, settings.connectTimeout().toMillis()),
                id -> fail(gen, "not subscribed within " + 2 * settings.connectTimeout().toMillis() + " ms"));
        c.connect().onComplete(ar -> {
            if (gen != generation) {
                if (ar.succeeded()) {
                    c.close();
                }
                return;
            }
            if (ar.failed()) {
                fail(gen, RedisLinks.message(ar.cause()));
                return;
            }
            RedisConnection rc = ar.result();
            connection = rc;
            rc.handler(r -> reply(gen, r));
            rc.exceptionHandler(t -> fail(gen, RedisLinks.message(t)));
            rc.endHandler(v -> fail(gen, "connection closed"));
            rc.send(Request.cmd(Command.PSUBSCRIBE).arg("*")).onFailure(t -> fail(gen, "PSUBSCRIBE: " + RedisLinks.message(t)));
        });
    }

    private void reply(int gen, Response r) {
        if (gen != generation || r == null || r.type() != ResponseType.MULTI || r.size() < 1 || r.get(0) == null) {
            return;
        }
        String kind = r.get(0).toString();
        if ("pmessage".equals(kind) && r.size() == 4) {
            listener.message(address, text(r.get(2)), text(r.get(3)));
        } else if ("psubscribe".equals(kind)) {
            onSubscribed(gen);
        }
        // "pong" (the heartbeat's own reply once a message took its place) and anything else: nothing to do
    }

    private void onSubscribed(int gen) {
        if (subscribed) {
            return;
        }
        cancel(guardTimer);
        guardTimer = -1;
        subscribed = true;
        failures = 0;
        if (reportedDown) {
            LOG.info("sentinel {}: reachable again, subscribed to its events", address);
        } else if (!everSubscribed) {
            LOG.info("sentinel {}: subscribed to its events", address);
        }
        reportedDown = false;
        everSubscribed = true;
        pingWaiting = false;
        heartbeatTimer = vertx.setPeriodic(Math.max(1, settings.heartbeatInterval().toMillis()), id -> heartbeat(gen));
        listener.subscribed(address, true);
    }

    private void heartbeat(int gen) {
        if (gen != generation || connection == null) {
            return;
        }
        if (pingWaiting) {
            if (System.nanoTime() - pingSentNanos > settings.heartbeatTimeout().toNanos()) {
                fail(gen, "no reply to PING within " + settings.heartbeatTimeout().toMillis() + " ms");
            }
            return;
        }
        pingWaiting = true;
        pingSentNanos = System.nanoTime();
        connection.send(Request.cmd(Command.PING)).onComplete(ar -> {
            if (gen != generation) {
                return;
            }
            pingWaiting = false;
            if (ar.succeeded()) {
                reply(gen, ar.result()); // a message that took the PING's place
            } else {
                fail(gen, "PING: " + RedisLinks.message(ar.cause()));
            }
        });
    }

    private void fail(int gen, String why) {
        if (gen != generation || closed) {
            return;
        }
        generation++;
        cancelTimers();
        connection = null;
        Redis c = client;
        client = null;
        if (c != null) {
            c.close();
        }
        boolean was = subscribed;
        subscribed = false;
        if (!reportedDown) {
            reportedDown = true;
            LOG.warn("sentinel {}: {}: {}; retrying with backoff (logged again once it is back)", address,
                    was ? "subscription lost" : "unreachable", why);
        }
        if (was) {
            listener.subscribed(address, false);
        }
        failures++;
        retryTimer = vertx.setTimer(Math.max(1, backoff.delayMillis(failures)), id -> connect());
    }

    private void cancelTimers() {
        cancel(guardTimer);
        cancel(heartbeatTimer);
        guardTimer = -1;
        heartbeatTimer = -1;
        pingWaiting = false;
    }

    private void cancel(long timer) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private static String text(Response r) {
        return r == null ? null : r.toString();
    }
}
