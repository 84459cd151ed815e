package io.rvi.agent.redis.metrics;

import io.rvi.agent.redis.RedisFailures;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.redis.KeptConnection;
import io.rvi.common.Clock;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one Redis or Sentinel service's metric families over one connection (vertx-redis-client) that is
 * kept between collections and made again when it breaks; a password is sent by the client's handshake.
 * Every command of a collection is pipelined: one round trip for a Redis, two for a Sentinel. A collection is
 * bounded by the service's probe timeout (kept within {@link #MIN_TIMEOUT}..{@link #MAX_TIMEOUT}); its result
 * is reused for {@code maxAge}, and a collection asked for while one runs gets the running one's result.
 * A Redis that cannot be read gives {@code redis_up 0} and nothing else. Call from one Vert.x context only.
 */
final class ServiceCollector {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceCollector.class);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(250);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CONNECT_PATIENCE = Duration.ofSeconds(10);
    private static final String CLIENT_NAME = "rvi-agent-metrics";
    /** Error "replies" the client makes up itself: the connection went away, or the peer does not speak RESP. */

    private final Vertx vertx;
    private final String name;
    private final AgentConfig.Service service;
    private final Clock clock;
    private final long maxAgeNanos;
    private final long timeoutMillis;

    /**
     * The kept connection. One still being made when a collection times out is kept (up to
     * {@link #CONNECT_PATIENCE}) for the next one: the first connection of a cold JVM can take longer than a
     * collection may.
     */
    private final KeptConnection link;
    private long connectingSince; // when the kept connection was asked for
    /** The connection that was queried already, and what is asked only once per connection. */
    private RedisConnection usedOn;
    private Object configDatabases;
    private Object configIoThreads;
    private Promise<List<MetricFamily>> running;
    private List<MetricFamily> last;
    private long lastAt;
    private String problem = ""; // why the last collection failed ("" when it did not), for logging changes only
    private boolean closed;

    ServiceCollector(Vertx vertx, String name, AgentConfig.Service service, Clock clock, Duration maxAge) {
        this.vertx = vertx;
        this.name = name;
        this.service = service;
        this.clock = clock;
        this.maxAgeNanos = maxAge.toNanos();
        long t = service.probeTimeout() == null ? MAX_TIMEOUT.toMillis() : service.probeTimeout().toMillis();
        this.timeoutMillis = Math.max(MIN_TIMEOUT.toMillis(), Math.min(MAX_TIMEOUT.toMillis(), t));
        this.link = new KeptConnection(vertx, this::options, "collector closed");
    }

    AgentConfig.Service service() {
        return service;
    }

    /** This service's families, fresh or at most {@code maxAge} old; never fails. */
    Future<List<MetricFamily>> collect() {
        if (closed) {
            return Future.succeededFuture(List.of());
        }
        if (last != null && clock.nanos() - lastAt < maxAgeNanos) {
            return Future.succeededFuture(last);
        }
        if (running != null) {
            return running.future();
        }
        Promise<List<MetricFamily>> result = Promise.promise();
        running = result;
        result.future().onComplete(ar -> {
            running = null;
            last = ar.result();
            lastAt = clock.nanos();
        });
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (!result.future().isComplete()) {
                boolean connecting = link.active() && link.connected() == null;
                if (link.active() && (!connecting || clock.nanos() - connectingSince > CONNECT_PATIENCE.toNanos())) {
                    link.drop(); // connected but no reply: a fresh connection next time
                }
                result.complete(down((connecting ? "not connected" : "no reply") + " within "
                        + timeoutMillis + " ms"));
            }
        });
        attempt(true, result.future()).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (!result.future().isComplete()) {
                result.complete(ar.succeeded() ? up(ar.result()) : down(RedisFailures.describe(ar.cause(), service.address())));
            }
        });
        return result.future();
    }

    void close() {
        closed = true;
        link.close();
    }

    private List<MetricFamily> up(List<MetricFamily> families) {
        if (!problem.isEmpty()) {
            LOG.info("metrics: {} at {} readable again", name, service.address());
            problem = "";
        }
        return families;
    }

    private List<MetricFamily> down(String why) {
        if (!closed && !why.equals(problem)) {
            LOG.warn("metrics: cannot read {} at {}: {} (redis_up 0)", name, service.address(), why);
        }
        problem = why;
        return RedisMetrics.down(name);
    }

    private Future<List<MetricFamily>> attempt(boolean mayRetry, Future<List<MetricFamily>> outcome) {
        if (!link.active()) {
            connectingSince = clock.nanos();
        }
        return link.get().compose(c -> {
            if (outcome.isComplete()) {
                return Future.succeededFuture(List.<MetricFamily>of());
            }
            boolean kept = c == usedOn;
            return query(c).recover(t -> {
                link.drop(c);
                if (kept && mayRetry && !closed && !outcome.isComplete() && !RedisFailures.notResp(t)) {
                    return attempt(false, outcome); // a kept connection went stale: once more on a new one
                }
                return Future.failedFuture(t);
            });
        });
    }

    private Future<List<MetricFamily>> query(RedisConnection l) {
        boolean fresh = l != usedOn;
        usedOn = l;
        if (fresh) {
            send(l, Request.cmd(Command.CLIENT).arg("SETNAME").arg(CLIENT_NAME));
        }
        if (service.kind() == AgentConfig.Kind.SENTINEL) {
            return querySentinel(l);
        }
        Future<Object> databases = fresh ? send(l, Request.cmd(Command.CONFIG).arg("GET").arg("databases"))
                : Future.succeededFuture(configDatabases);
        Future<Object> ioThreads = fresh ? send(l, Request.cmd(Command.CONFIG).arg("GET").arg("io-threads"))
                : Future.succeededFuture(configIoThreads);
        Future<Object> info = send(l, Request.cmd(Command.INFO).arg("ALL"));
        Future<Object> slowlogLen = send(l, Request.cmd(Command.SLOWLOG).arg("LEN"));
        Future<Object> slowlogGet = send(l, Request.cmd(Command.SLOWLOG).arg("GET").arg(1));
        Future<Object> latency = send(l, Request.cmd(Command.LATENCY).arg("LATEST"));
        return Future.all(databases, ioThreads, info, slowlogLen, slowlogGet, latency).compose(all -> {
            configDatabases = databases.result();
            configIoThreads = ioThreads.result();
            String text = infoText(info.result());
            return Future.succeededFuture(RedisMetrics.families(name, new RedisMetrics.Snapshot(text, databases.result(),
                    ioThreads.result(), slowlogLen.result(), slowlogGet.result(), latency.result()), clock.millis()));
        });
    }

    private Future<List<MetricFamily>> querySentinel(RedisConnection l) {
        Future<Object> info = send(l, Request.cmd(Command.INFO));
        Future<Object> masters = send(l, Request.cmd(Command.SENTINEL).arg("MASTERS"));
        return Future.all(info, masters).compose(first -> {
            String text = infoText(info.result());
            Map<String, List<Future<Object>>> asked = new LinkedHashMap<>();
            List<Future<Object>> all = new ArrayList<>();
            for (String master : SentinelMetrics.masterNames(masters.result())) {
                List<Future<Object>> three = List.of(send(l, Request.cmd(Command.SENTINEL).arg("CKQUORUM").arg(master)),
                        send(l, Request.cmd(Command.SENTINEL).arg("SENTINELS").arg(master)),
                        send(l, Request.cmd(Command.SENTINEL).arg("REPLICAS").arg(master)));
                asked.put(master, three);
                all.addAll(three);
            }
            return Future.all(all).map(done -> {
                Map<String, SentinelMetrics.MasterReplies> per = new LinkedHashMap<>();
                asked.forEach((master, r) -> per.put(master,
                        new SentinelMetrics.MasterReplies(r.get(0).result(), r.get(1).result(), r.get(2).result())));
                return SentinelMetrics.families(name, new SentinelMetrics.Snapshot(text, masters.result(), per));
            });
        });
    }

    /** INFO must come back as text; anything else (NOAUTH, LOADING...) means the service cannot be read. */
    private static String infoText(Object reply) {
        if (reply instanceof String s) {
            return s;
        }
        throw new IllegalStateException(reply instanceof Replies.Error e ? e.message() : "INFO gave no text");
    }

    /** A command's reply as a plain value; an error reply is a value too, only a lost connection fails. */
    private static Future<Object> send(RedisConnection l, Request request) {
        return l.send(request).transform(ar -> {
            if (ar.succeeded()) {
                return Future.succeededFuture(plain(ar.result()));
            }
            Throwable t = ar.cause();
            if (t instanceof Response r && r.type() == ResponseType.ERROR && !RedisFailures.notResp(t) && !RedisFailures.closed(t)) {
                return Future.succeededFuture(new Replies.Error(RedisFailures.message(t)));
            }
            return Future.failedFuture(t);
        });
    }

    static Object plain(Response r) {
        if (r == null) {
            return null;
        }
        switch (r.type()) {
            case NUMBER:
                Number n = r.toNumber();
                return n instanceof Long || n instanceof Integer ? (Object) n.longValue() : r.toString();
            case BOOLEAN:
                return r.toBoolean() ? 1L : 0L;
            case ERROR:
                return new Replies.Error(r.toString());
            case MULTI:
            case PUSH:
                List<Object> items = new ArrayList<>(r.size());
                if (r.isMap()) {
                    for (String k : r.getKeys()) {
                        items.add(k);
                        items.add(plain(r.get(k)));
                    }
                } else {
                    for (int i = 0; i < r.size(); i++) {
                        items.add(plain(r.get(i)));
                    }
                }
                return items;
            default:
                return r.toString();
        }
    }

    private RedisOptions options() {
        RedisOptions o = new RedisOptions()
                .setConnectionString("redis://" + service.address())
                .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) timeoutMillis).setTcpNoDelay(true).setTcpKeepAlive(true))
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(1)
                .setMaxPoolWaiting(1)
                .setPoolCleanerInterval(-1)
                .setPoolRecycleTimeout(-1);
        if (service.password() != null) {
            o.setPassword(service.password().reveal());
        }
        return o;
    }



}
