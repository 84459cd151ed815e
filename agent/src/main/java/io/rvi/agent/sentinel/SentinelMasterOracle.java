package io.rvi.agent.sentinel;

import io.rvi.agent.failover.MasterOracle;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The failover component's view of the quorum, answered from {@link SentinelQuorum}. A view younger
 * than {@code maxAgeMillis} is reused, so load-balancer checks arriving every few hundred
 * milliseconds from several HAProxies do not each cost a round of questions to every Sentinel.
 */
public final class SentinelMasterOracle implements MasterOracle {
    private final SentinelQuorum quorum;
    private final Clock clock;
    private final long maxAgeMillis;

    public SentinelMasterOracle(SentinelQuorum quorum, Clock clock, long maxAgeMillis) {
        this.quorum = quorum;
        this.clock = clock;
        this.maxAgeMillis = maxAgeMillis;
    }

    @Override
    public Future<Optional<HostPort>> quorumMaster() {
        return fresh().map(v -> Optional.ofNullable(v.master()));
    }

    @Override
    public Future<MasterOracle.QuorumView> view() {
        return fresh().map(v -> {
            Set<HostPort> named = new LinkedHashSet<>();
            v.answers().values().forEach(a -> {
                if (a.kind() == SentinelAnswer.Kind.MASTER) {
                    named.add(a.master());
                }
            });
            return new MasterOracle.QuorumView(v.master(), named);
        });
    }

    private Future<io.rvi.agent.sentinel.QuorumView> fresh() {
        io.rvi.agent.sentinel.QuorumView v = quorum.current();
        if (v.checkedAt() > 0 && clock.millis() - v.checkedAt() <= maxAgeMillis) {
            return Future.succeededFuture(v);
        }
        return quorum.refresh();
    }
}
