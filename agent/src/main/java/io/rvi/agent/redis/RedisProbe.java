package io.rvi.agent.redis;

import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Probes one Redis or Sentinel with vertx-redis-client: {@code PING} and {@code ROLE}, pipelined on one
 * connection that is kept between probes and re-made when it breaks. When a password is set, the client's
 * handshake authenticates each new connection ({@code HELLO 2 AUTH}, or {@code AUTH} on a server without
 * {@code HELLO}). Non-blocking; call it from one Vert.x context, one probe at a time (a probe asked for while
 * one runs gets the running one's result). Never fails its future: every problem is a {@link ProbeResult}.
 *
 * <p>Each connection has a client of its own: the client pools its connections, and closing the client is
 * the only way to close a connection (a pooled connection's {@code close()} keeps it open for reuse). A
 * probe that times out closes its connection, so the next one starts on a fresh connection.
 */
public final class RedisProbe {
    /** Error "replies" the client makes up itself: the connection went away, or the peer does not speak RESP. */

    static {
        // loads the client's command table now, not within the first probe's time limit
        Request.cmd(Command.PING);
    }

    private final Vertx vertx;
    private final HostPort address;
    private final Secret password;

    private final KeptConnection link;
    private long probeMs; // the running probe's time, for the options of a connection it makes
    private Promise<ProbeResult> running;
    private boolean closed;

    public RedisProbe(Vertx vertx, HostPort address, Secret password) {
        this.vertx = vertx;
        this.address = address;
        this.password = password;
        this.link = new KeptConnection(vertx, () -> options(probeMs), "probe closed");
    }

    public HostPort address() {
        return address;
    }

    /** One probe, bounded by {@code timeout} (connecting included). */
    public Future<ProbeResult> probe(Duration timeout) {
        if (closed) {
            return Future.succeededFuture(ProbeResult.down("probe closed"));
        }
        if (running != null) {
            return running.future();
        }
        Promise<ProbeResult> result = Promise.promise();
        long ms = Math.max(1, timeout.toMillis());
        // The TCP connect gets less than the whole time (see connectTimeout), so a probe still waiting when
        // the time is up was accepted on the port but not answered: something occupies the port.
        long timer = vertx.setTimer(ms, id -> {
            if (result.tryComplete(ProbeResult.silent("no reply within " + ms + " ms"))) {
                link.drop();
            }
        });
        running = result;
        result.future().onComplete(ar -> {
            if (running == result) {
                running = null;
            }
        });
        run(true, ms, result.future()).onComplete(ar -> {
            vertx.cancelTimer(timer);
            result.tryComplete(ar.succeeded() ? ar.result() : ProbeResult.down(RedisFailures.message(ar.cause())));
        });
        return result.future();
    }

    /** Closes the connection; later probes report "probe closed". */
    public void close() {
        closed = true;
        Promise<ProbeResult> r = running;
        if (r != null) {
            r.tryComplete(link.connected() != null ? ProbeResult.silent("probe closed") : ProbeResult.down("probe closed"));
        }
        link.close();
    }

    private Future<ProbeResult> run(boolean mayRetry, long ms, Future<ProbeResult> outcome) {
        boolean fresh = !link.active();
        probeMs = ms;
        return link.get().transform(car -> {
            if (car.failed()) {
                return Future.succeededFuture(connectFailed(car.cause()));
            }
            RedisConnection c = car.result();
            if (outcome.isComplete()) {
                return Future.succeededFuture(outcome.result());
            }
            Future<Response> ping = c.send(Request.cmd(Command.PING));
            Future<Response> role = c.send(Request.cmd(Command.ROLE));
            return Future.join(ping, role).transform(all -> {
                Throwable broken = brokenBy(ping);
                if (broken == null) {
                    broken = brokenBy(role);
                }
                if (broken == null) {
                    return Future.succeededFuture(interpret(ping, role));
                }
                link.drop(c);
                if (!fresh && mayRetry && !closed && !outcome.isComplete() && !RedisFailures.notResp(broken)) {
                    return run(false, ms, outcome); // a kept connection went stale
                }
                return Future.succeededFuture(ProbeResult.silent(RedisFailures.describe(broken, address)));
            });
        });
    }

    private RedisOptions options(long probeMs) {
        RedisOptions o = new RedisOptions()
                .setConnectionString("redis://" + address)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(connectTimeout(probeMs))
                        .setTcpNoDelay(true).setTcpKeepAlive(true))
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(1)
                .setMaxPoolWaiting(1)
                .setMaxWaitingHandlers(8)
                .setPoolCleanerInterval(-1)
                .setPoolRecycleTimeout(-1);
        if (password != null) {
            o.setPassword(password.reveal());
        }
        return o;
    }

    /** A fifth of the probe's time (at most 200 ms) is kept for the replies. */
    private static int connectTimeout(long probeMs) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, probeMs - Math.min(probeMs / 5, 200)));
    }

    /** The connection could not be made, or its handshake (HELLO / AUTH) was refused. */
    private ProbeResult connectFailed(Throwable t) {
        String error = serverError(t);
        if (error != null) {
            String code = code(error);
            return password != null && !"LOADING".equals(code) && !"BUSY".equals(code)
                    ? new ProbeResult(true, true, false, null, "AUTH refused: " + code)
                    : new ProbeResult(true, true, false, null, error);
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
            return ProbeResult.down(RedisFailures.message(t));
        }
        return ProbeResult.silent(RedisFailures.describe(t, address)); // connected, then closed or not understood before any reply
    }

    private static ProbeResult interpret(Future<Response> ping, Future<Response> role) {
        String r = null;
        Response rr = role.succeeded() ? role.result() : null;
        if (rr != null && rr.type() == ResponseType.MULTI && rr.size() > 0 && rr.get(0) != null
                && (rr.get(0).type() == ResponseType.BULK || rr.get(0).type() == ResponseType.SIMPLE)) {
            r = rr.get(0).toString();
        }
        if (ping.failed()) {
            return new ProbeResult(true, true, false, r, serverError(ping.cause()));
        }
        Response p = ping.result();
        if (p != null && "PONG".equals(p.toString())) {
            return new ProbeResult(true, true, true, r, null);
        }
        return new ProbeResult(true, true, false, r, "unexpected reply to PING: " + (p == null ? "(nil)" : p.toString()));
    }

    /** Why a command got no reply from the server, or null when it got one (an error reply counts). */
    private static Throwable brokenBy(Future<Response> f) {
        return f.failed() && serverError(f.cause()) == null ? f.cause() : null;
    }

    /** The server's error reply ({@code LOADING Redis is loading...}), or null when {@code t} is not one. */
    private static String serverError(Throwable t) {
        if (t instanceof Response r && r.type() == ResponseType.ERROR) {
            String m = RedisFailures.message(t);
            return RedisFailures.closed(t) || RedisFailures.notResp(t) ? null : m;
        }
        return null;
    }



    /** The first word of an error reply: LOADING, NOAUTH, WRONGPASS, ERR... */
    private static String code(String error) {
        int sp = error.indexOf(' ');
        return sp < 0 ? error : error.substring(0, sp);
    }

}
