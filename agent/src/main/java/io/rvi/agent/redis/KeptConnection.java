package io.rvi.agent.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import java.util.function.Supplier;

/**
 * One vertx-redis-client connection kept between uses: made on demand, dropped (its client closed) when it
 * fails, ends, or its owner gives up on it, so the next {@link #get()} makes a fresh one. Each connection has a
 * client of its own: the client pools its connections, and closing the client is the only way to close a
 * connection. A connection given up on while being made is closed as soon as it is made, and its
 * {@code get()} fails with "connection abandoned" (or the closed text once {@link #close()}d). Not thread-safe:
 * call from one Vert.x context.
 */
public final class KeptConnection {
    private final Vertx vertx;
    private final Supplier<RedisOptions> options;
    private final String closedText;

    private Link link;
    private boolean closed;

    /** One connection (once made) and the client that owns it. */
    private static final class Link {
        final Redis client;
        Future<RedisConnection> ready;
        RedisConnection connection;

        Link(Redis client) {
            this.client = client;
        }
    }

    /**
     * @param options    the options for each new connection (asked once per connection)
     * @param closedText the failure of a connection being made when {@link #close()} was called
     */
    public KeptConnection(Vertx vertx, Supplier<RedisOptions> options, String closedText) {
        this.vertx = vertx;
        this.options = options;
        this.closedText = closedText;
    }

    /** Whether a connection is made or being made. */
    public boolean active() {
        return link != null;
    }

    /** The connection when made, else null. */
    public RedisConnection connected() {
        Link l = link;
        return l == null ? null : l.connection;
    }

    /** The kept connection, or a new one being made. */
    public Future<RedisConnection> get() {
        Link l = link;
        return l != null ? l.ready : connect();
    }

    /** Drops the kept connection (made or being made), if any. */
    public void drop() {
        drop(link);
    }

    /** Drops {@code connection} if it is the kept one (a connection no longer kept is closed already). */
    public void drop(RedisConnection connection) {
        Link l = link;
        if (l != null && l.connection == connection) {
            drop(l);
        }
    }

    /** Drops the connection; a connection being made fails with the closed text. */
    public void close() {
        closed = true;
        drop(link);
    }

    private Future<RedisConnection> connect() {
        Link l = new Link(Redis.createClient(vertx, options.get()));
        link = l;
        l.ready = l.client.connect().transform(ar -> {
            if (link != l) { // given up on, or closed, meanwhile
                if (ar.succeeded()) {
                    l.client.close();
                }
                return Future.failedFuture(closed ? closedText : "connection abandoned");
            }
            if (ar.failed()) {
                drop(l);
                return Future.failedFuture(ar.cause());
            }
            l.connection = ar.result();
            l.connection.exceptionHandler(err -> drop(l));
            l.connection.endHandler(v -> drop(l));
            return Future.succeededFuture(l.connection);
        });
        return l.ready;
    }

    private void drop(Link l) {
        if (l == null) {
            return;
        }
        if (link == l) {
            link = null;
        }
        l.client.close();
    }
}
