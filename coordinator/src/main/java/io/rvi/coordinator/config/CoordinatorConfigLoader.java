package io.rvi.coordinator.config;

import io.rvi.common.config.ConfigException;
import io.rvi.common.config.ConfigProblem;
import io.rvi.common.config.ConfigReader;
import io.rvi.common.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and validates coordinator.yaml. Every problem is reported at once, each with file, line,
 * key, value and the expected form. Token files are read here (a missing or empty one is a config
 * problem); whether the store directory is writable is checked at startup (its own exit code).
 */
public final class CoordinatorConfigLoader {
    public static final Path DEFAULT_PATH = Path.of("/etc/rvi/coordinator.yaml");
    /** Agent ids: the same rule as the agent's {@code agent.id}. */
    public static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final Map<String, String> env;

    public CoordinatorConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public CoordinatorConfig load(Path file) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigReader root = ConfigReader.read(file, env, problems);
        CoordinatorConfig config = read(file, root);
        root.finish();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private CoordinatorConfig read(Path file, ConfigReader root) {
        ConfigReader h = root.section("http");
        CoordinatorConfig.Http http = new CoordinatorConfig.Http(
                h.string("bind", "127.0.0.1"),
                h.integer("port", 9600, 0, 65535),
                h.bytes("max_body_bytes", 1024 * 1024, 1024, 256L * 1024 * 1024));

        CoordinatorConfig.Auth auth = auth(root.section("auth"));

        ConfigReader s = root.section("store");
        CoordinatorConfig.Store store = new CoordinatorConfig.Store(
                s.path("path", Path.of("/var/lib/rvi/coordinator.db")),
                s.duration("event_retention", Duration.ofDays(30), Duration.ofMinutes(1), Duration.ofDays(3650)),
                s.integer("max_events", 1_000_000, 100, 1_000_000_000));

        ConfigReader f = root.section("fleet");
        CoordinatorConfig.Fleet fleet = new CoordinatorConfig.Fleet(f.integer("stale_after_heartbeats", 3, 1, 1000));

        ConfigReader l = root.section("logging");
        String level = l.string("level", "info").toLowerCase(Locale.ROOT);
        if (!List.of("trace", "debug", "info", "warn", "error").contains(level)) {
            l.problem("level", level, "expected one of trace, debug, info, warn, error");
        }
        CoordinatorConfig.Logging logging = new CoordinatorConfig.Logging(
                l.choice("format", CoordinatorConfig.LogFormat.TEXT, CoordinatorConfig.LogFormat.class), level);
        return new CoordinatorConfig(file, http, auth, store, fleet, logging);
    }

    private static CoordinatorConfig.Auth auth(ConfigReader a) {
        Secret operator = a.secretFile("operator_token_file");
        if (!a.has("operator_token_file")) {
            a.problem("operator_token_file", null, "required; expected a file holding the operators' bearer token");
        }
        Secret shared = a.secretFile("agent_token_file");
        Map<String, Secret> perAgent = new LinkedHashMap<>();
        ConfigReader tokens = a.section("agent_tokens");
        for (String id : tokens.keys()) {
            if (!AGENT_ID.matcher(id).matches()) {
                tokens.problem(id, null, "agent id: expected 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            Secret t = tokens.secretFile(id);
            if (t == null && !tokens.has(id)) {
                tokens.problem(id, null, "expected a file holding this agent's bearer token");
            }
            if (t != null) {
                perAgent.put(id, t);
            }
        }
        if (!a.has("agent_token_file") && tokens.keys().isEmpty()) {
            a.problem("agent_token_file", null, "required unless auth.agent_tokens is set; expected a file holding the agents' shared bearer token");
        }
        if (operator != null) {
            if (operator.equals(shared)) {
                a.problem("agent_token_file", shared.source(), "holds the same token as operator_token_file; expected a different token");
            }
            for (Map.Entry<String, Secret> e : perAgent.entrySet()) {
                if (operator.equals(e.getValue())) {
                    tokens.problem(e.getKey(), e.getValue().source(), "holds the same token as auth.operator_token_file; expected a different token");
                }
            }
        }
        return new CoordinatorConfig.Auth(operator, shared, Collections.unmodifiableMap(perAgent));
    }
}
