package io.rvi.agent.failover;

import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.ActionSpec;
import io.rvi.agent.sentinel.SwitchMaster;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned switchover: {@code SENTINEL FAILOVER <master>} on the first Sentinel that answers, then waits
 * until the quorum names another master (or a {@code SwitchMaster} arrives), within a time limit. Runs
 * as the {@code switchover} action (one attempt: a second FAILOVER would be a second failover).
 */
public final class Switchover {
    private static final Logger LOG = LoggerFactory.getLogger(Switchover.class);
    private static final long POLL_MS = 200;

    /** The outcome, as the HTTP reply's body says it. */
    public record Outcome(boolean ok, int status, String message, HostPort from, HostPort to, HostPort sentinel, long durationMillis) {
        public JsonObject toJson() {
            return new JsonObject().put("ok", ok).put("message", message).put("from", str(from)).put("to", str(to))
                    .put("sentinel", str(sentinel)).put("duration_ms", durationMillis);
        }

        private static String str(HostPort hp) {
            return hp == null ? null : hp.toString();
        }
    }

    private final Vertx vertx;
    private final String masterName;
    private final List<HostPort> sentinels;
    private final RedisAccess sentinelAccess;
    private final MasterOracle oracle;
    private final ActionRunner actions;
    private final Clock clock;
    private volatile SwitchMaster lastSwitch;

    public Switchover(Vertx vertx, String masterName, List<HostPort> sentinels, RedisAccess sentinelAccess, MasterOracle oracle,
                      ActionRunner actions, Clock clock) {
        this.vertx = vertx;
        this.masterName = masterName;
        this.sentinels = sentinels;
        this.sentinelAccess = sentinelAccess;
        this.oracle = oracle;
        this.actions = actions;
        this.clock = clock;
    }

    /** Told of every switch, so a waiting switchover ends as soon as one arrives. */
    public void switched(SwitchMaster sm) {
        lastSwitch = sm;
    }

    /** Never fails: a switchover that did not happen is an {@link Outcome} with {@code ok == false}. */
    public Future<Outcome> run(Duration timeout, String principal) {
        ActionSpec spec = ActionSpec.once("switchover", timeout.plusSeconds(2));
        return actions.run(spec, masterName, () -> attempt(timeout, principal)
                .compose(o -> o.ok() ? Future.succeededFuture(o) : Future.failedFuture(new NotDone(o))))
                .recover(err -> {
                    Throwable c = err instanceof ActionRunner.ActionFailed && err.getCause() != null ? err.getCause() : err;
                    return Future.succeededFuture(c instanceof NotDone nd ? nd.outcome
                            : new Outcome(false, 500, String.valueOf(c.getMessage()), null, null, null, 0));
                });
    }

    private static final class NotDone extends RuntimeException {
        final transient Outcome outcome;

        NotDone(Outcome outcome) {
            super(outcome.message(), null, false, false);
            this.outcome = outcome;
        }
    }

    private Future<Outcome> attempt(Duration timeout, String principal) {
        long start = clock.nanos();
        return oracle.quorumMaster().compose(m -> {
            if (m.isEmpty()) {
                return Future.succeededFuture(new Outcome(false, 409, "no sentinel quorum on a master; not switching over",
                        null, null, null, 0));
            }
            HostPort from = m.get();
            SwitchMaster before = lastSwitch;
            LOG.info("switchover: {} asked to move {} off {}", principal, masterName, from);
            return ask(0, null).compose(sentinel -> waitFor(from, before, sentinel, start, timeout), err ->
                    Future.succeededFuture(new Outcome(false, 409, err.getMessage(), from, null, null, elapsed(start))));
        });
    }

    /** SENTINEL FAILOVER on sentinels[i], then the next ones while unreachable; a Sentinel's refusal ends it. */
    private Future<HostPort> ask(int i, String lastError) {
        if (i >= sentinels.size()) {
            return Future.failedFuture(new IllegalStateException("no sentinel accepted SENTINEL FAILOVER " + masterName
                    + (lastError == null ? "" : ": " + lastError)));
        }
        HostPort s = sentinels.get(i);
        return sentinelAccess.sentinelFailover(s, masterName).map(v -> s).recover(err -> {
            String msg = err.getMessage() == null ? err.toString() : err.getMessage();
            if (err instanceof io.vertx.redis.client.Response) { // the Sentinel answered: INPROG, NOGOODSLAVE...
                return Future.failedFuture(new IllegalStateException("sentinel " + s + " refused: " + msg));
            }
            LOG.warn("switchover: sentinel {} unreachable ({}); trying the next", s, msg);
            return ask(i + 1, s + ": " + msg);
        });
    }

    private Future<Outcome> waitFor(HostPort from, SwitchMaster before, HostPort sentinel, long start, Duration timeout) {
        Promise<Outcome> done = Promise.promise();
        long deadline = start + timeout.toNanos();
        poll(from, before, sentinel, start, deadline, done);
        return done.future();
    }

    private void poll(HostPort from, SwitchMaster before, HostPort sentinel, long start, long deadline, Promise<Outcome> done) {
        SwitchMaster sm = lastSwitch;
        if (sm != null && sm != before && masterName.equals(sm.masterName())) {
            finish(done, from, sm.to(), sentinel, start);
            return;
        }
        oracle.quorumMaster().otherwise(Optional.empty()).onComplete(ar -> {
            Optional<HostPort> now = ar.result();
            if (now.isPresent() && !Addresses.same(now.get(), from)) {
                finish(done, from, now.get(), sentinel, start);
            } else if (clock.nanos() >= deadline) {
                done.tryComplete(new Outcome(false, 504, "SENTINEL FAILOVER accepted by " + sentinel
                        + " but the quorum still names " + from + " after " + elapsed(start) + " ms", from, null, sentinel, elapsed(start)));
            } else {
                vertx.setTimer(POLL_MS, id -> poll(from, before, sentinel, start, deadline, done));
            }
        });
    }

    private void finish(Promise<Outcome> done, HostPort from, HostPort to, HostPort sentinel, long start) {
        long ms = elapsed(start);
        LOG.info("switchover: {} moved from {} to {} in {} ms", masterName, from, to, ms);
        done.tryComplete(new Outcome(true, 200, "switched over from " + from + " to " + to, from, to, sentinel, ms));
    }

    private long elapsed(long start) {
        return (clock.nanos() - start) / 1_000_000;
    }
}
