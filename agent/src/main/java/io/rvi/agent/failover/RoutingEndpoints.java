package io.rvi.agent.failover;

import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;

/**
 * Load-balancer health endpoints, answered from the Sentinel quorum's view:
 * {@code GET /redis/master} (200 only when the local Redis is master and the quorum names it) and
 * {@code GET /redis/replica[?max_lag_bytes=N]} (200 for a replica whose master link is up and whose lag
 * is at most N bytes). The JSON body says why.
 */
public final class RoutingEndpoints {
    private final HostPort self;
    private final RoleWatch watch;
    private final RedisAccess redis;
    private final LongSupplier defaultMaxLag;

    public RoutingEndpoints(HostPort self, RoleWatch watch, RedisAccess redis, LongSupplier defaultMaxLag) {
        this.self = self;
        this.watch = watch;
        this.redis = redis;
        this.defaultMaxLag = defaultMaxLag;
    }

    public void master(RoutingContext ctx) {
        watch.observe().onComplete(ar -> {
            if (ar.failed()) {
                reply(ctx, 503, new JsonObject().put("primary", false).put("reason", "check failed: " + ar.cause().getMessage()));
                return;
            }
            RoleJudge.Verdict v = ar.result();
            reply(ctx, v.primary() ? 200 : 503, new JsonObject().put("primary", v.primary()).put("role", v.localRole())
                    .put("address", self.toString()).put("quorum_master", v.quorumMaster() == null ? null : v.quorumMaster().toString())
                    .put("split_brain", v.splitBrain()).put("reason", v.reason()));
        });
    }

    public void replica(RoutingContext ctx) {
        long maxLag = defaultMaxLag.getAsLong();
        String q = ctx.request().getParam("max_lag_bytes");
        if (q != null) {
            try {
                maxLag = Long.parseLong(q);
                if (maxLag < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                reply(ctx, 400, new JsonObject().put("error", "max_lag_bytes: expected a number of bytes >= 0, got '" + q + "'")
                        .put("status", 400));
                return;
            }
        }
        long limit = maxLag;
        Future<ReplicationInfo> local = redis.info(self);
        local.transform(lar -> {
            ReplicationInfo li = lar.succeeded() ? lar.result() : null;
            if (li == null || !li.isReplica() || !li.masterLinkUp() || li.master() == null) {
                return Future.succeededFuture(ReplicaJudge.judge(li, message(lar.cause()), null, null, limit));
            }
            return redis.info(li.master()).transform(mar -> Future.succeededFuture(ReplicaJudge.judge(li, null,
                    mar.succeeded() ? mar.result().masterReplOffset() : null, message(mar.cause()), limit)));
        }).onSuccess(v -> reply(ctx, v.healthy() ? 200 : 503, new JsonObject().put("healthy", v.healthy())
                .put("address", self.toString()).put("lag_bytes", v.lagBytes() < 0 ? null : v.lagBytes())
                .put("max_lag_bytes", limit).put("reason", v.reason())));
    }

    private static void reply(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store").end(body.encode());
    }

    private static String message(Throwable t) {
        return t == null ? null : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
