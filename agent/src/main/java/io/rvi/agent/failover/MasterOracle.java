package io.rvi.agent.failover;

import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;

/**
 * The Sentinel quorum's view of who the master is. Adapted by the wiring from the Sentinel component.
 * Futures complete on a Vert.x context and must not block.
 */
@FunctionalInterface
public interface MasterOracle {
    /** The master a quorum of Sentinels agrees on; empty when there is no quorum (Sentinels unreachable or split). */
    Future<Optional<HostPort>> quorumMaster();

    /**
     * The quorum's master and every master address that some reachable Sentinel names (two or more =
     * the Sentinels disagree). The default knows only the quorum's answer; override it when the
     * Sentinel component can tell disagreement.
     */
    default Future<QuorumView> view() {
        return quorumMaster().map(m -> new QuorumView(m.orElse(null), m.map(Set::of).orElse(Set.of())));
    }

    /** @param master the quorum's master, or null (no quorum); @param named every master some Sentinel names */
    record QuorumView(HostPort master, Set<HostPort> named) {
        public boolean hasQuorum() {
            return master != null;
        }

        public boolean sentinelsDisagree() {
            return named.size() > 1;
        }
    }
}
