package io.rvi.agent.failover;

import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Non-blocking commands to Redis servers or Sentinels (vertx-redis-client), one small pooled client per
 * address, each command bounded by {@code timeout}. A client whose command timed out is dropped, so the
 * next command starts on a fresh connection. The password is only given to the client, never logged.
 */
public final class RedisAccess {
    private final Vertx vertx;
    private final Secret password;
    private final Duration timeout;
    private final Map<HostPort, Redis> clients = new ConcurrentHashMap<>();

    public RedisAccess(Vertx vertx, Secret password, Duration timeout) {
        this.vertx = vertx;
        this.password = password;
        this.timeout = timeout;
    }

    /** {@code INFO} (default sections) parsed. */
    public Future<ReplicationInfo> info(HostPort addr) {
        return send(addr, Request.cmd(Command.INFO)).map(r -> ReplicationInfo.parse(r.toString()));
    }

    /** {@code REPLICAOF host port}. */
    public Future<Void> replicaOf(HostPort addr, HostPort master) {
        return send(addr, Request.cmd(Command.REPLICAOF).arg(master.host()).arg(master.port())).mapEmpty();
    }

    /** {@code SENTINEL FAILOVER name} on a Sentinel; fails with the Sentinel's error text (INPROG, NOGOODSLAVE...). */
    public Future<Void> sentinelFailover(HostPort sentinel, String masterName) {
        return send(sentinel, Request.cmd(Command.SENTINEL).arg("FAILOVER").arg(masterName)).mapEmpty();
    }

    public Future<Response> send(HostPort addr, Request request) {
        Redis client = clients.computeIfAbsent(addr, this::create);
        Promise<Response> p = Promise.promise();
        long ms = Math.max(1, timeout.toMillis());
        long timer = vertx.setTimer(ms, id -> {
            if (p.tryFail(new TimeoutException("redis " + addr + " did not answer within " + ms + " ms"))) {
                if (clients.remove(addr, client)) {
                    client.close();
                }
            }
        });
        client.send(request).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(ar.cause());
            }
        });
        return p.future();
    }

    public void close() {
        clients.values().forEach(Redis::close);
        clients.clear();
    }

    private Redis create(HostPort addr) {
        RedisOptions o = new RedisOptions().setConnectionString("redis://" + addr)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) Math.max(1, timeout.toMillis()))
                        .setTcpNoDelay(true).setTcpKeepAlive(true))
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(2).setMaxPoolWaiting(16).setMaxWaitingHandlers(64);
        if (password != null) {
            o.setPassword(password.reveal());
        }
        return Redis.createClient(vertx, o);
    }
}
