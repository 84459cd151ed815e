package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.vertx.core.Future;

/** Supervises one service in one mode. All methods are called on the supervision context. */
interface ServiceRunner {
    /** Adopts, spawns or starts watching; completes once the service has a process state (not when healthy). */
    Future<Void> start();

    /** A restart asked for by an operator (or the coordinator). */
    Future<Void> restart();

    /** Leaves the crash-loop state and starts again; a no-op when not crash-looping. */
    Future<Void> resetCrashLoop();

    /** New settings that do not need a process restart (probe settings, password, restart policy). */
    void update(AgentConfig.Service config, AgentConfig.Supervision policy);

    /** Stops supervising; stops the process too when {@code stopProcess} and the agent started it. */
    Future<Void> stop(boolean stopProcess);
}
