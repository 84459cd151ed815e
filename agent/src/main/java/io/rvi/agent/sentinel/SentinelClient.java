package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Asks one Sentinel {@code SENTINEL GET-MASTER-ADDR-BY-NAME} over a connection kept between questions
 * (made on first use, dropped when it fails or a question times out, so the next question starts afresh;
 * an error reply keeps it). Never fails
 * its future: every outcome is a {@link SentinelAnswer}. Non-blocking; call it from one Vert.x context.
 */
final class SentinelClient {
    private final Vertx vertx;
    private final HostPort address;
    private final Duration connectTimeout;
    private volatile Secret password;

    private Redis client;
    private Future<RedisConnection> connection;
    private boolean closed;

    SentinelClient(Vertx vertx, HostPort address, Secret password, Duration connectTimeout) {
        this.vertx = vertx;
        this.address = address;
        this.password = password;
        this.connectTimeout = connectTimeout;
    }

    HostPort address() {
        return address;
    }

    /** The password for the next connection. */
    void password(Secret password) {
        this.password = password;
    }

    /** Which master this Sentinel names for {@code masterName}, within {@code timeout} (connecting included). */
    Future<SentinelAnswer> masterAddress(String masterName, Duration timeout) {
        if (closed) {
            return Future.succeededFuture(SentinelAnswer.failed(SentinelAnswer.Kind.UNREACHABLE, "closed"));
        }
        Promise<SentinelAnswer> result = Promise.promise();
        long ms = Math.max(1, timeout.toMillis());
        Future<RedisConnection> conn = connection();
        long timer = vertx.setTimer(ms, id -> {
            if (result.tryComplete(SentinelAnswer.failed(SentinelAnswer.Kind.TIMEOUT, "no answer within " + ms + " ms"))) {
                drop(conn);
            }
        });
        conn.compose(c -> c.send(Request.cmd(Command.SENTINEL).arg("GET-MASTER-ADDR-BY-NAME").arg(masterName)))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        result.tryComplete(answer(ar.result()));
                        return;
                    }
                    Throwable t = ar.cause();
                    boolean replied = t instanceof Response r && r.type() == ResponseType.ERROR
                            && !"CONNECTION_CLOSED".equals(t.getMessage()); // NOAUTH, WRONGPASS, unknown command...
                    if (!replied || conn.failed()) {
                        drop(conn); // an error reply to the question leaves the connection usable
                    }
                    SentinelAnswer.Kind kind = t instanceof TimeoutException ? SentinelAnswer.Kind.TIMEOUT
                            : replied ? SentinelAnswer.Kind.ERROR : SentinelAnswer.Kind.UNREACHABLE;
                    result.tryComplete(SentinelAnswer.failed(kind, RedisLinks.message(t)));
                });
        return result.future();
    }

    Future<Void> close() {
        closed = true;
        Redis c = client;
        client = null;
        connection = null;
        return c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
    }

    private Future<RedisConnection> connection() {
        if (connection == null) {
            Redis c = Redis.createClient(vertx, RedisLinks.options(address, password, connectTimeout));
            client = c;
            Future<RedisConnection> f = c.connect();
            connection = f;
            f.onSuccess(rc -> {
                rc.exceptionHandler(t -> drop(f));
                rc.endHandler(v -> drop(f));
            });
        }
        return connection;
    }

    /** Forgets {@code f}'s connection (if still the current one) and closes its client. */
    private void drop(Future<RedisConnection> f) {
        if (connection != f) {
            return;
        }
        connection = null;
        Redis c = client;
        client = null;
        if (c != null) {
            c.close();
        }
    }

    private static SentinelAnswer answer(Response r) {
        if (r == null) {
            return SentinelAnswer.unknownMaster();
        }
        if (r.type() == ResponseType.MULTI && r.size() == 2 && r.get(0) != null && r.get(1) != null) {
            HostPort hp = HostPort.parseOrNull(r.get(0).toString() + ":" + r.get(1).toString());
            if (hp != null) {
                return SentinelAnswer.master(hp);
            }
        }
        return SentinelAnswer.failed(SentinelAnswer.Kind.ERROR, "not an address: " + r);
    }
}
