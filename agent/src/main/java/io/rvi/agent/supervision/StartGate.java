package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.vertx.core.Future;

/**
 * Asked by supervision before every spawn of a spawn-mode service, the first start and every restart
 * (after an exit, a manual restart, a crash-loop reset, a foreign process gone, a reload that replaces
 * the process): start now (possibly with extra arguments), or hold.
 *
 * <ul>
 *   <li>A hold is not a crash: nothing counts toward the crash-loop window. The service stays
 *       {@code starting} or {@code backoff} with the reason as its detail, one log line and one
 *       {@code start_held} event per change of reason, and the gate is asked again after
 *       500 ms until it lets the start go.</li>
 *   <li>A failed (or unanswered within 5 s) future means
 *       proceed as configured: the gate can only delay a start, never lose a service.</li>
 *   <li>Systemd-mode services are not gated: the agent does not own their command line, so it could
 *       neither add arguments nor keep systemd from restarting the unit itself. Observed-only services
 *       are never started.</li>
 * </ul>
 * Called on the supervision context; the future must not block it.
 */
@FunctionalInterface
public interface StartGate {
    /** The default: always start as configured. */
    StartGate ALWAYS = (service, restart) -> Future.succeededFuture(StartPlan.proceed());

    /**
     * @param service the service about to be spawned
     * @param restart false for the first start of the service since the agent started (or since it was
     *                added to the configuration), true for every later start
     */
    Future<StartPlan> beforeStart(AgentConfig.Service service, boolean restart);
}
