package io.rvi.agent.failover;

import io.rvi.agent.failover.MasterOracle.QuorumView;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import java.time.Duration;

/**
 * Decides, from one observation of the local Redis and the Sentinel quorum, whether the local Redis
 * is the primary (what {@code GET /redis/master} answers), whether two nodes claim master (split brain)
 * and whether to fence the local Redis ({@code REPLICAOF} the quorum's master).
 *
 * <p>A local master is the primary only when the quorum names it. It is fenced when the quorum names
 * another node that is reachable and itself says {@code role:master}, and either the local Redis was
 * (re)started less than {@code restartWindow} ago (a returning old master: fenced at once) or the
 * disagreement has lasted {@code persistence}. The second condition protects a replica Sentinel has
 * just promoted: it says master about a second before the quorum names it, and its old master is then
 * usually dead (not "reachable and master"), but a partition could leave it alive.
 */
public final class RoleJudge {
    /** One look at the world. {@code local}/{@code quorum} are null when they could not be asked (see the errors). */
    public record Observation(ReplicationInfo local, String localError, QuorumView quorum, String quorumError,
                              Boolean quorumMasterSaysMaster) {}

    /**
     * @param primary    answer 200 on {@code /redis/master}
     * @param splitBrain two nodes claim master (this one against the quorum, or Sentinels naming different masters)
     * @param fenceTo    make the local Redis a replica of this now; null = nothing to do
     * @param localRole  master / replica / unknown
     */
    public record Verdict(boolean primary, String reason, boolean splitBrain, HostPort fenceTo, String localRole,
                          HostPort quorumMaster) {}

    private final Clock clock;
    private final boolean fenceEnabled;
    private final Duration persistence;
    private final Duration restartWindow;
    private long disagreeSince = Long.MIN_VALUE;

    public RoleJudge(Clock clock, boolean fenceEnabled, Duration persistence, Duration restartWindow) {
        this.clock = clock;
        this.fenceEnabled = fenceEnabled;
        this.persistence = persistence;
        this.restartWindow = restartWindow;
    }

    public synchronized Verdict judge(HostPort self, Observation o) {
        QuorumView q = o.quorum();
        HostPort qm = q == null ? null : q.master();
        boolean sentinelsDisagree = q != null && q.sentinelsDisagree();
        ReplicationInfo local = o.local();
        if (local == null) {
            disagreeSince = Long.MIN_VALUE;
            return new Verdict(false, "local redis " + self + " not answering: " + o.localError(), sentinelsDisagree, null,
                    "unknown", qm);
        }
        String role = local.roleName();
        if (qm == null) {
            disagreeSince = Long.MIN_VALUE;
            String why = q == null ? "sentinels unreachable: " + o.quorumError() : "no sentinel quorum on a master";
            return new Verdict(false, why + "; local redis is " + role + ", not declared primary without the quorum",
                    sentinelsDisagree, null, role, null);
        }
        boolean quorumNamesSelf = Addresses.same(qm, self);
        if (!local.isMaster()) {
            disagreeSince = Long.MIN_VALUE;
            return new Verdict(false, quorumNamesSelf ? "quorum names " + self + " but it is still a replica (promotion in progress)"
                    : "local redis is a replica; quorum's master is " + qm, sentinelsDisagree, null, role, qm);
        }
        if (quorumNamesSelf) {
            disagreeSince = Long.MIN_VALUE;
            return new Verdict(!sentinelsDisagree, sentinelsDisagree ? "sentinels disagree on the master: " + q.named()
                    : "local redis is master and the sentinel quorum agrees", sentinelsDisagree, null, role, qm);
        }
        // The local Redis claims master, the quorum names another node.
        long now = clock.nanos();
        if (disagreeSince == Long.MIN_VALUE) {
            disagreeSince = now;
        }
        boolean otherIsMaster = Boolean.TRUE.equals(o.quorumMasterSaysMaster());
        boolean splitBrain = sentinelsDisagree || otherIsMaster;
        boolean restarted = local.uptimeSeconds() >= 0 && local.uptimeSeconds() < restartWindow.toSeconds();
        boolean lasted = now - disagreeSince >= persistence.toNanos();
        HostPort fence = fenceEnabled && otherIsMaster && (restarted || lasted) ? qm : null;
        String reason = "local redis claims master but the sentinel quorum names " + qm
                + (otherIsMaster ? " (which is master too)" : " (not confirmed master)")
                + (fence != null ? "; fencing: REPLICAOF " + qm.host() + " " + qm.port()
                : fenceEnabled && otherIsMaster ? "; fencing after " + persistence.toMillis() + " ms unless it yields" : "");
        return new Verdict(false, reason, splitBrain, fence, role, qm);
    }
}
