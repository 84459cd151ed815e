package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionSpec;
import io.vertx.core.Future;

/** A service the agent only observes (mode none): health probes and role, no process control. */
final class ObservedService implements ServiceRunner {
    private final ServiceStatus status;
    private final HealthWatch health;
    private AgentConfig.Service config;

    ObservedService(Shared shared, ServiceStatus status, AgentConfig.Service config) {
        this.status = status;
        this.config = config;
        this.health = new HealthWatch(shared.vertx(), status, config, r -> { });
    }

    @Override
    public Future<Void> start() {
        status.configure(config);
        status.process(ServiceStatus.UNKNOWN, "observed only (mode none)");
        health.start();
        return health.probeNow().mapEmpty();
    }

    @Override
    public Future<Void> restart() {
        return Future.failedFuture(new ActionSpec.NotRetryable(config.name() + " is observed only (mode none); the agent cannot restart it"));
    }

    @Override
    public Future<Void> resetCrashLoop() {
        return Future.succeededFuture();
    }

    @Override
    public void update(AgentConfig.Service c, AgentConfig.Supervision policy) {
        config = c;
        health.update(c);
        status.configure(c);
    }

    @Override
    public Future<Void> stop(boolean stopProcess) {
        health.stop();
        return Future.succeededFuture();
    }
}
