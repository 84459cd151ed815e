package io.rvi.agent.failover;

import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.ActionSpec;
import io.rvi.agent.core.EventSink;
import io.rvi.agent.failover.MasterOracle.QuorumView;
import io.rvi.agent.hooks.HookDispatcher;
import io.rvi.agent.hooks.HookEvent;
import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One observation of the local Redis against the Sentinel quorum, judged by {@link RoleJudge}, and
 * what follows from it: fencing ({@code fence} action: {@code REPLICAOF} the quorum's master, and the
 * server taken out of HAProxy's write backend), the split-brain gauge and event, role-change hooks,
 * and one log line per fault that starts or clears (sentinels unreachable, no quorum, Redis not
 * answering or slow). Called on every period, on every {@code /redis/master} request and right after
 * the local Redis (re)starts.
 */
public final class RoleWatch {
    private static final Logger LOG = LoggerFactory.getLogger(RoleWatch.class);
    /** After a REPLICAOF, observations made before it took effect do not fence again. */
    private static final Duration FENCE_SETTLE = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final HostPort self;
    private final String service;
    private final String masterName;
    private final RedisAccess redis;
    private final MasterOracle oracle;
    private final RoleJudge judge;
    private final ActionRunner actions;
    private final EventSink events;
    private final FailoverMetrics metrics;
    private final FailoverRouter router;
    private final HookDispatcher hooks;
    private final Duration oracleTimeout;
    private final FaultLog faults = new FaultLog();
    private final RoleChangeTracker roles = new RoleChangeTracker();
    private final long incarnation = System.currentTimeMillis();
    private final ActionSpec fenceSpec = ActionSpec.retrying("fence", Duration.ofSeconds(2), 3, Duration.ofMillis(200), Duration.ofSeconds(1));
    private Boolean splitBrain;
    private HostPort fencedTo;
    private long fencedAtNanos;

    /** {@code router} and {@code hooks} may be null (no HAProxy; no hooks). */
    public RoleWatch(Vertx vertx, HostPort self, String service, String masterName, RedisAccess redis, MasterOracle oracle,
                     RoleJudge judge, ActionRunner actions, EventSink events, FailoverMetrics metrics, FailoverRouter router,
                     HookDispatcher hooks, Duration oracleTimeout) {
        this.vertx = vertx;
        this.self = self;
        this.service = service;
        this.masterName = masterName;
        this.redis = redis;
        this.oracle = oracle;
        this.judge = judge;
        this.actions = actions;
        this.events = events;
        this.metrics = metrics;
        this.router = router;
        this.hooks = hooks;
        this.oracleTimeout = oracleTimeout;
    }

    /** Looks, judges, acts; never fails. */
    public Future<RoleJudge.Verdict> observe() {
        Future<ReplicationInfo> local = redis.info(self);
        Future<QuorumView> quorum = within(oracle.view(), oracleTimeout, "sentinel quorum");
        return Future.join(local, quorum).transform(ignored -> {
            ReplicationInfo li = local.succeeded() ? local.result() : null;
            QuorumView qv = quorum.succeeded() ? quorum.result() : null;
            HostPort qm = qv == null ? null : qv.master();
            Future<Boolean> otherIsMaster = li != null && li.isMaster() && qm != null && !Addresses.same(qm, self)
                    ? redis.info(qm).map(ReplicationInfo::isMaster).otherwise(false) : Future.succeededFuture(null);
            return otherIsMaster.map(other -> {
                RoleJudge.Observation o = new RoleJudge.Observation(li, error(local), qv, error(quorum), other);
                RoleJudge.Verdict v = judge.judge(self, o);
                act(o, v);
                return v;
            });
        });
    }

    private void act(RoleJudge.Observation o, RoleJudge.Verdict v) {
        boolean slow = o.local() == null && String.valueOf(o.localError()).contains("did not answer within");
        fault("redis_slow", slow ? "local redis " + self + " slow: " + o.localError() : null);
        fault("redis_unreachable", o.local() == null && !slow ? "local redis " + self + " not answering: " + o.localError() : null);
        fault("sentinel_unreachable", o.quorum() == null ? "sentinel quorum cannot be asked: " + o.quorumError() : null);
        fault("no_quorum", o.quorum() != null && !o.quorum().hasQuorum() ? "no sentinel quorum on a master for " + masterName : null);
        splitBrain(v);
        if (v.fenceTo() != null) {
            fence(v.fenceTo());
        }
        RoleChangeTracker.Change c = roles.observe(v.localRole());
        if (c != null) {
            LOG.info("role: local redis {} changed from {} to {} (quorum's master: {})", self, c.from(), c.to(), v.quorumMaster());
            events.emit("redis_role_changed", "info", service, "redis " + c.from() + " -> " + c.to(),
                    Map.of("from", c.from(), "to", c.to(), "quorum_master", String.valueOf(v.quorumMaster())));
            if (hooks != null) {
                Map<String, Object> record = new HashMap<>();
                record.put("event", HookEvent.ROLE_CHANGE);
                record.put("master_name", masterName);
                record.put("address", self.toString());
                record.put("from_role", c.from());
                record.put("to_role", c.to());
                record.put("master", v.quorumMaster() == null ? null : v.quorumMaster().toString());
                hooks.fire(new HookEvent(HookEvent.ROLE_CHANGE, incarnation + "-" + c.seq(), masterName, c.to(), "role-change",
                        self, v.quorumMaster(), record));
            }
        }
    }

    private synchronized void fence(HostPort master) {
        long now = System.nanoTime();
        if (actions.isRunning("fence", service)
                || (master.equals(fencedTo) && now - fencedAtNanos < FENCE_SETTLE.toNanos())) {
            return; // an observation made before the REPLICAOF took effect
        }
        fencedTo = master;
        fencedAtNanos = now;
        LOG.warn("fence: local redis {} claims master but the sentinel quorum names {}: REPLICAOF {} {}", self, master,
                master.host(), master.port());
        if (router != null) {
            router.keepOut(self);
        }
        actions.run(fenceSpec, service, () -> redis.replicaOf(self, master)).onFailure(err -> {
            synchronized (this) {
                fencedTo = null;
            }
        }).onSuccess(x -> {
            metrics.fenced();
            events.emit("redis_fenced", "warning", service, "returning master " + self + " fenced: now a replica of " + master,
                    Map.of("address", self.toString(), "master", master.toString()));
        });
    }

    private synchronized void splitBrain(RoleJudge.Verdict v) {
        if (splitBrain != null && splitBrain == v.splitBrain()) {
            return;
        }
        boolean first = splitBrain == null;
        splitBrain = v.splitBrain();
        metrics.splitBrain(v.splitBrain());
        if (v.splitBrain()) {
            LOG.error("split brain: {}", v.reason());
            events.emit("split_brain", "critical", service, "two nodes claim master: " + v.reason(),
                    Map.of("address", self.toString(), "quorum_master", String.valueOf(v.quorumMaster())));
        } else if (!first) {
            LOG.info("split brain over: {}", v.reason());
            events.emit("split_brain_resolved", "info", service, "split brain over", Map.of("address", self.toString()));
        }
    }

    private void fault(String fault, String message) {
        if (!faults.changed(fault, message)) {
            return;
        }
        if (message != null) {
            metrics.fault(fault);
            LOG.warn("failover: {}", message);
        } else {
            LOG.info("failover: {} cleared", fault.replace('_', ' '));
        }
    }

    private <T> Future<T> within(Future<T> f, Duration limit, String what) {
        Promise<T> p = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, limit.toMillis()),
                id -> p.tryFail(new TimeoutException(what + ": no answer within " + limit.toMillis() + " ms")));
        f.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(ar.cause());
            }
        });
        return p.future();
    }

    private static String error(Future<?> f) {
        if (f.succeeded()) {
            return null;
        }
        String m = f.cause().getMessage();
        return m == null ? f.cause().getClass().getSimpleName() : m;
    }
}
