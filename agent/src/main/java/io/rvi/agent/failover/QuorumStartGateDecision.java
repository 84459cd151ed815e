package io.rvi.agent.failover;

import io.rvi.agent.supervision.StartPlan;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import java.time.Duration;
import java.util.List;

/**
 * Whether the failover-managed local Redis may start now, and how, from the quorum's master:
 * <ul>
 *   <li>the quorum names another node: start as its replica ({@code --replicaof host port}), never as a
 *       master the quorum does not name;</li>
 *   <li>the quorum names this node: the first start at agent boot goes ahead (a normal estate start); a
 *       restart after the process exited is held until the quorum names another node (Sentinel failed
 *       over) or the hold has lasted {@code restart_hold}: a master restarted empty (or from an old RDB)
 *       before {@code down-after-milliseconds} expires is never failed over, and its replicas resync from
 *       it and lose every acknowledged write;</li>
 *   <li>no quorum (Sentinels unreachable or split): the first start goes ahead, a restart is held the same way.</li>
 * </ul>
 * When the hold expires the start goes ahead as configured and {@link #expired()} says so (the caller
 * warns). {@code restart_hold} zero: never hold. One hold lasts from the first held answer to the next
 * start let through; an ask more than {@link #EPISODE_GAP} after the previous one starts a new hold (the
 * one before was abandoned). Plain class, no I/O; time from a {@link Clock}. Not thread-safe (one context).
 */
public final class QuorumStartGateDecision {
    /** Asks come every 500 ms while held; a longer silence means the earlier hold was abandoned. */
    static final Duration EPISODE_GAP = Duration.ofSeconds(10);
    static final String MASTER_HERE = "the quorum still names this node master; waiting for Sentinel to fail over before restarting"
            + " (a restarted master would wipe its replicas)";
    static final String NO_QUORUM = "no Sentinel quorum names a master (Sentinels unreachable or split); waiting for one before"
            + " restarting (a restarted master would wipe its replicas)";

    private final HostPort self;
    private final Duration restartHold;
    private final Clock clock;
    private long holdSince = -1;
    private long lastAsk = -1;
    private boolean expired;

    /**
     * @param self        the local Redis's address (as Sentinel knows it)
     * @param restartHold the longest hold of a restart; zero: never hold
     */
    public QuorumStartGateDecision(HostPort self, Duration restartHold, Clock clock) {
        if (restartHold.isNegative()) {
            throw new IllegalArgumentException("restart_hold must be >= 0, got " + restartHold);
        }
        this.self = self;
        this.restartHold = restartHold;
        this.clock = clock;
    }

    /**
     * @param quorumMaster the master a quorum of Sentinels agrees on, or null when there is no quorum
     * @param restart      false for the first start at agent boot, true after the process exited (or any later start)
     */
    public StartPlan decide(HostPort quorumMaster, boolean restart) {
        long now = clock.nanos();
        if (lastAsk >= 0 && now - lastAsk > EPISODE_GAP.toNanos()) {
            holdSince = -1;
        }
        lastAsk = now;
        expired = false;
        if (quorumMaster != null && !Addresses.same(quorumMaster, self)) {
            return go(StartPlan.proceedWith(List.of("--replicaof", quorumMaster.host(), Integer.toString(quorumMaster.port())),
                    "the quorum's master is " + quorumMaster + ": starting as its replica"));
        }
        boolean here = quorumMaster != null;
        if (!restart) {
            return go(StartPlan.proceed(here ? "the quorum names this node master: starting as master"
                    : "no Sentinel quorum names a master: starting as configured"));
        }
        if (restartHold.isZero()) {
            return go(StartPlan.proceed((here ? "the quorum still names this node master" : "no Sentinel quorum names a master")
                    + "; restart_hold is 0: restarting as configured"));
        }
        if (holdSince < 0) {
            holdSince = now;
        }
        Duration held = Duration.ofNanos(now - holdSince);
        if (held.compareTo(restartHold) < 0) {
            return StartPlan.hold(here ? MASTER_HERE : NO_QUORUM);
        }
        expired = true;
        return go(StartPlan.proceed("held for " + words(held) + " (failover.restart_hold " + words(restartHold) + ") and "
                + (here ? "the quorum still names this node master" : "still no Sentinel quorum")
                + "; restarting as configured: writes the replicas have and this node lacks may be lost"));
    }

    /** Whether the last {@link #decide} let a start go because the hold ran out. */
    public boolean expired() {
        return expired;
    }

    /** Whether a hold is running (the last answer held). */
    public boolean holding() {
        return holdSince >= 0;
    }

    private StartPlan go(StartPlan plan) {
        holdSince = -1;
        return plan;
    }

    private static String words(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
