package io.rvi.agent.failover;

/** Whether the local Redis is a replica fit to serve reads ({@code GET /redis/replica}). */
public final class ReplicaJudge {
    /** @param lagBytes -1 when unknown */
    public record Verdict(boolean healthy, String reason, long lagBytes) {}

    private ReplicaJudge() {}

    /**
     * @param local        the local Redis' INFO, or null when it did not answer ({@code localError} says why)
     * @param masterOffset the master's {@code master_repl_offset}, or null when it could not be read ({@code masterError})
     */
    public static Verdict judge(ReplicationInfo local, String localError, Long masterOffset, String masterError, long maxLagBytes) {
        if (local == null) {
            return new Verdict(false, "local redis not answering: " + localError, -1);
        }
        if (!local.isReplica()) {
            return new Verdict(false, "local redis is " + local.roleName() + ", not a replica", -1);
        }
        if (!local.masterLinkUp()) {
            return new Verdict(false, "master link to " + local.master() + " is down", -1);
        }
        if (masterOffset == null) {
            return new Verdict(false, "cannot read the master's offset from " + local.master() + ": " + masterError, -1);
        }
        long lag = Math.max(0, masterOffset - local.appliedOffset());
        if (lag > maxLagBytes) {
            return new Verdict(false, "replication lag " + lag + " bytes > " + maxLagBytes, lag);
        }
        return new Verdict(true, "replica of " + local.master() + ", lag " + lag + " bytes", lag);
    }
}
