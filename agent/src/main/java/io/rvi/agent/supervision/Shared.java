package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.common.Clock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What every service supervisor of one {@link Supervision} shares.
 *
 * @param context the one context all supervision state is touched on
 * @param gate    the current {@link StartGate} (set after construction by the wiring)
 */
record Shared(Vertx vertx, Context context, AgentConfig.Agent agent, ActionRunner actions, ProcessOps ops,
              Systemctl systemctl, Clock clock, RandomGenerator random, Supplier<StartGate> gate) {}
