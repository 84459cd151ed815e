package io.rvi.agent.redis;

import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes one Redis or Sentinel: {@code AUTH} (when a password is set, once per connection), {@code PING}
 * and {@code ROLE}, pipelined on one connection that is kept between probes and re-made when it breaks.
 * Non-blocking; call it from one Vert.x context, one probe at a time (a probe asked for while one runs
 * gets the running one's result). Never fails its future: every problem is a {@link ProbeResult}.
 */
public final class RedisProbe {
    private final Vertx vertx;
    private final NetClient client;
    private final HostPort address;
    private final Secret password;

    private NetSocket socket;
    private boolean authenticated;
    private Resp.Decoder decoder;
    private final ArrayDeque<Promise<Object>> waiting = new ArrayDeque<>();
    private Future<ProbeResult> inflight;
    private boolean closed;

    public RedisProbe(Vertx vertx, NetClient client, HostPort address, Secret password) {
        this.vertx = vertx;
        this.client = client;
        this.address = address;
        this.password = password;
    }

    public HostPort address() {
        return address;
    }

    /** One probe, bounded by {@code timeout} (connecting included). */
    public Future<ProbeResult> probe(Duration timeout) {
        if (closed) {
            return Future.succeededFuture(ProbeResult.down("probe closed"));
        }
        if (inflight != null) {
            return inflight;
        }
        Promise<ProbeResult> result = Promise.promise();
        boolean[] connected = {false};
        long ms = Math.max(1, timeout.toMillis());
        long timer = vertx.setTimer(ms, id -> {
            if (result.tryComplete(connected[0] || socket != null
                    ? ProbeResult.silent("no reply within " + ms + " ms")
                    : ProbeResult.down("no connection within " + ms + " ms"))) {
                disconnect("probe timed out");
            }
        });
        run(true, (int) ms, connected, result.future()).onComplete(ar -> {
            vertx.cancelTimer(timer);
            result.tryComplete(ar.succeeded() ? ar.result() : ProbeResult.down(message(ar.cause())));
        });
        inflight = result.future();
        inflight.onComplete(ar -> inflight = null);
        return inflight;
    }

    /** Closes the connection; later probes report "probe closed". */
    public void close() {
        closed = true;
        disconnect("probe closed");
    }

    private Future<ProbeResult> run(boolean mayRetry, int connectTimeoutMs, boolean[] connected, Future<ProbeResult> outcome) {
        boolean fresh = socket == null;
        Future<NetSocket> conn = fresh ? connect(connectTimeoutMs) : Future.succeededFuture(socket);
        return conn.transform(car -> {
            if (car.failed()) {
                return Future.succeededFuture(ProbeResult.down(message(car.cause())));
            }
            connected[0] = true;
            NetSocket s = car.result();
            if (socket != s) { // closed between probes, before this one could write
                return fresh || !mayRetry ? Future.succeededFuture(ProbeResult.silent("connection closed"))
                        : run(false, connectTimeoutMs, connected, outcome);
            }
            boolean auth = password != null && !authenticated;
            List<Future<Object>> replies = new ArrayList<>();
            Buffer out = Buffer.buffer();
            if (auth) {
                out.appendBuffer(Resp.command("AUTH", password.reveal()));
                replies.add(expect());
            }
            out.appendBuffer(Resp.command("PING")).appendBuffer(Resp.command("ROLE"));
            replies.add(expect());
            replies.add(expect());
            s.write(out).onFailure(err -> {
                if (socket == s) {
                    disconnect("write failed: " + message(err));
                }
            });
            return Future.all(replies).transform(all -> {
                if (all.failed()) {
                    if (!fresh && mayRetry && all.cause() instanceof ConnectionClosed && !closed && !outcome.isComplete()) {
                        return run(false, connectTimeoutMs, connected, outcome); // a kept connection went stale
                    }
                    return Future.succeededFuture(ProbeResult.silent(message(all.cause())));
                }
                if (auth && !(replies.get(0).result() instanceof Resp.Error) && socket == s) {
                    authenticated = true;
                }
                return Future.succeededFuture(interpret(auth ? replies.get(0).result() : null,
                        replies.get(auth ? 1 : 0).result(), replies.get(auth ? 2 : 1).result()));
            });
        });
    }

    private ProbeResult interpret(Object authReply, Object ping, Object role) {
        if (authReply instanceof Resp.Error e) {
            disconnect("AUTH refused");
            return new ProbeResult(true, true, false, null, "AUTH refused: " + e.code());
        }
        String r = role instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s ? s : null;
        if ("PONG".equals(ping)) {
            return new ProbeResult(true, true, true, r, null);
        }
        String why = ping instanceof Resp.Error e ? e.message() : "unexpected reply to PING: " + ping;
        return new ProbeResult(true, true, false, r, why);
    }

    private Future<NetSocket> connect(int timeoutMs) {
        ConnectOptions o = new ConnectOptions().setHost(address.host()).setPort(address.port()).setTimeout(timeoutMs);
        return client.connect(o).map(s -> {
            if (closed) {
                s.close();
                throw new IllegalStateException("probe closed");
            }
            socket = s;
            authenticated = false;
            decoder = new Resp.Decoder();
            s.handler(data -> received(s, data));
            s.exceptionHandler(err -> {
                if (socket == s) {
                    disconnect(message(err));
                }
            });
            s.closeHandler(v -> {
                if (socket == s) {
                    socket = null;
                    failWaiting(new ConnectionClosed("connection closed by " + address));
                }
            });
            return s;
        });
    }

    private void received(NetSocket s, Buffer data) {
        if (socket != s) {
            return;
        }
        try {
            decoder.feed(data);
            for (Object v = decoder.next(); v != null; v = decoder.next()) {
                Promise<Object> p = waiting.poll();
                if (p == null) {
                    throw new Resp.ProtocolException("unexpected reply");
                }
                p.complete(v);
            }
        } catch (Resp.ProtocolException e) {
            disconnect("not a Redis reply: " + e.getMessage());
        }
    }

    private Future<Object> expect() {
        Promise<Object> p = Promise.promise();
        waiting.add(p);
        return p.future();
    }

    private void disconnect(String why) {
        NetSocket s = socket;
        socket = null;
        if (s != null) {
            s.close();
        }
        failWaiting(new ConnectionClosed(why));
    }

    private void failWaiting(Throwable t) {
        for (Promise<Object> p = waiting.poll(); p != null; p = waiting.poll()) {
            p.tryFail(t);
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** The connection went away while replies were awaited. */
    static final class ConnectionClosed extends RuntimeException {
        ConnectionClosed(String message) {
            super(message, null, false, false);
        }
    }
}
