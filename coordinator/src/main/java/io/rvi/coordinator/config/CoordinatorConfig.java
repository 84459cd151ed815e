package io.rvi.coordinator.config;

import io.rvi.common.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The whole coordinator configuration, validated. Built only by {@link CoordinatorConfigLoader}. */
public record CoordinatorConfig(Path file, Http http, Auth auth, Store store, Fleet fleet, Logging logging) {

    /** The API listener. {@code port} 0 picks a free port (tests). */
    public record Http(String bind, int port, long maxBodyBytes) {}

    /**
     * Bearer tokens. {@code agentToken} (shared) is valid for any agent id; each of {@code agentTokens}
     * is valid only for its own agent id. At least one of the two is set.
     */
    public record Auth(Secret operatorToken, Secret agentToken, Map<String, Secret> agentTokens) {}

    /** The SQLite store: agent registry and event journal, pruned by age and count. */
    public record Store(Path path, Duration eventRetention, long maxEvents) {}

    /** An agent is stale when it has missed {@code staleAfterHeartbeats} of its own heartbeat intervals. */
    public record Fleet(int staleAfterHeartbeats) {}

    public enum LogFormat { TEXT, JSON }

    public record Logging(LogFormat format, String level) {}
}
