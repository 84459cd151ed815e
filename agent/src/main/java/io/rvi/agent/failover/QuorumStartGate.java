package io.rvi.agent.failover;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.supervision.StartGate;
import io.rvi.agent.supervision.StartPlan;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import io.vertx.core.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's start gate for the failover-managed Redis: a Redis under Sentinel never starts as a
 * master the quorum does not name (see {@link QuorumStartGateDecision}). Other services, and a Redis on
 * another address, start as configured. An oracle that fails counts as "no quorum". Only spawn-mode
 * services are gated (systemd owns its units' command lines). {@code restart_hold} is read at agent start.
 */
public final class QuorumStartGate implements StartGate {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumStartGate.class);

    private final MasterOracle oracle;
    private final HostPort redis;
    private final QuorumStartGateDecision decision;

    /**
     * @param oracle   the Sentinel quorum's view
     * @param redis    the local Redis address the failover handling watches
     * @param failover the failover section ({@code restart_hold})
     */
    public QuorumStartGate(MasterOracle oracle, HostPort redis, AgentConfig.Failover failover, Clock clock) {
        this.oracle = oracle;
        this.redis = redis;
        this.decision = new QuorumStartGateDecision(redis, failover.restartHold(), clock);
    }

    /** For the wiring: the Redis service {@link FailoverHandling} watches (the one named redis, else the first of kind redis). */
    public static QuorumStartGate forConfig(AgentConfig config, MasterOracle oracle, Clock clock) {
        if (config.failover() == null) {
            throw new IllegalArgumentException("failover section not configured");
        }
        return new QuorumStartGate(oracle, redisService(config).address(), config.failover(), clock);
    }

    /** The same choice as {@link FailoverHandling}'s. */
    static AgentConfig.Service redisService(AgentConfig config) {
        AgentConfig.Service named = config.services().get("redis");
        if (named != null && named.kind() == AgentConfig.Kind.REDIS) {
            return named;
        }
        return config.services().values().stream().filter(s -> s.kind() == AgentConfig.Kind.REDIS).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("failover needs a service of kind redis"));
    }

    @Override
    public Future<StartPlan> beforeStart(AgentConfig.Service service, boolean restart) {
        if (service.kind() != AgentConfig.Kind.REDIS || !Addresses.same(service.address(), redis)) {
            return Future.succeededFuture(StartPlan.proceed());
        }
        Future<Optional<HostPort>> asked;
        try {
            asked = oracle.quorumMaster();
        } catch (RuntimeException e) {
            asked = Future.failedFuture(e);
        }
        return asked.recover(err -> {
            LOG.debug("{}: the quorum's master is not known: {}", service.name(), err.getMessage());
            return Future.succeededFuture(Optional.empty());
        }).map(master -> {
            synchronized (decision) {
                StartPlan plan = decision.decide(master == null ? null : master.orElse(null), restart);
                if (decision.expired()) {
                    LOG.warn("{}: {}", service.name(), plan.reason());
                }
                return plan;
            }
        });
    }
}
