package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.HostPort;
import org.junit.jupiter.api.Test;

class ReplicaJudgeTest {
    static final HostPort M = new HostPort("10.0.0.11", 6379);

    static ReplicationInfo replica(boolean linkUp, long applied) {
        return new ReplicationInfo("slave", M, linkUp, applied, applied, 0, 100);
    }

    @Test
    void healthyWithinTheLag() {
        ReplicaJudge.Verdict v = ReplicaJudge.judge(replica(true, 900), null, 1000L, null, 100);
        assertTrue(v.healthy(), v.reason());
        assertEquals(100, v.lagBytes());
    }

    @Test
    void tooFarBehind() {
        ReplicaJudge.Verdict v = ReplicaJudge.judge(replica(true, 899), null, 1000L, null, 100);
        assertFalse(v.healthy());
        assertEquals(101, v.lagBytes());
        assertTrue(v.reason().contains("101 bytes > 100"), v.reason());
    }

    @Test
    void unhealthyCases() {
        assertFalse(ReplicaJudge.judge(null, "refused", null, null, 100).healthy());
        assertFalse(ReplicaJudge.judge(new ReplicationInfo("master", null, false, 5, -1, 0, 1), null, null, null, 100).healthy());
        ReplicaJudge.Verdict down = ReplicaJudge.judge(replica(false, 1000), null, 1000L, null, 100);
        assertTrue(down.reason().contains("master link"), down.reason());
        ReplicaJudge.Verdict noOffset = ReplicaJudge.judge(replica(true, 1000), null, null, "timed out", 100);
        assertFalse(noOffset.healthy());
        assertTrue(noOffset.reason().contains("timed out"), noOffset.reason());
    }

    @Test
    void aReplicaAheadOfItsMastersLastReadCountsAsNoLag() {
        assertEquals(0, ReplicaJudge.judge(replica(true, 1200), null, 1000L, null, 0).lagBytes());
    }
}
