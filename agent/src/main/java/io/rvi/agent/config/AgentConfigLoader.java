package io.rvi.agent.config;

import io.rvi.common.config.ConfigException;
import io.rvi.common.config.ConfigProblem;
import io.rvi.common.config.ConfigReader;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and validates agent.yaml. Every problem is reported at once, each with file, line, key,
 * value and the expected form. Structural checks only: whether binaries exist and directories are
 * writable is checked by {@link EnvironmentCheck}, so that startup can exit with distinct codes.
 */
public final class AgentConfigLoader {
    public static final Path DEFAULT_PATH = Path.of("/etc/rvi/agent.yaml");

    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration DAY = Duration.ofDays(1);

    private final Map<String, String> env;
    private final String defaultHostName;

    public AgentConfigLoader(Map<String, String> env, String defaultHostName) {
        this.env = env;
        this.defaultHostName = defaultHostName;
    }

    public AgentConfig load(Path file) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigReader root = ConfigReader.read(file, env, problems);
        AgentConfig config = read(file, root);
        root.finish();
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(ConfigProblem::line)); // stable: same line keeps reading order
            throw new ConfigException(problems);
        }
        return config;
    }

    private AgentConfig read(Path file, ConfigReader root) {
        ConfigReader a = root.section("agent");
        String id = a.string("id", defaultHostName);
        if (id != null && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            a.problem("id", id, "expected 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String cluster = a.string("cluster", "default");
        if (!cluster.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            a.problem("cluster", cluster, "expected 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        AgentConfig.Agent agent = new AgentConfig.Agent(id, cluster, a.string("host", "127.0.0.1"),
                a.path("state_dir", Path.of("/var/lib/rvi/agent")), a.path("log_dir", Path.of("/var/log/rvi")));

        ConfigReader h = root.section("http");
        String bind = h.string("bind", "127.0.0.1");
        if (bind.isBlank()) {
            h.problem("bind", bind, "expected an address of this host to listen on, like 127.0.0.1 or 0.0.0.0");
        }
        int port = h.integer("port", 9650, 0, 65535);
        long maxBody = h.bytes("max_body_bytes", 64 * 1024, 1024, 64L * 1024 * 1024);
        Secret token = h.secretFile("token_file");
        ConfigReader tls = h.section("tls");
        AgentConfig.Http http = new AgentConfig.Http(bind, port, maxBody, token, tls.path("cert_file", null), tls.path("key_file", null));
        if ((http.tlsCertFile() == null) != (http.tlsKeyFile() == null)) {
            tls.problem(http.tlsCertFile() == null ? "cert_file" : "key_file", null,
                    "required when http.tls." + (http.tlsCertFile() == null ? "key_file" : "cert_file") + " is set");
        }

        ConfigReader l = root.section("logging");
        String levelText = l.string("level", "info");
        String level = levelText.toLowerCase(Locale.ROOT);
        if (!List.of("trace", "debug", "info", "warn", "error").contains(level)) {
            l.problem("level", levelText, "expected one of trace, debug, info, warn, error");
            level = "info";
        }
        AgentConfig.Logging logging = new AgentConfig.Logging(l.choice("format", AgentConfig.LogFormat.TEXT, AgentConfig.LogFormat.class), level);

        ConfigReader c = root.section("coordinator");
        List<String> urls = c.stringList("urls", List.of());
        for (int i = 0; i < urls.size(); i++) {
            if (!validHttpUrl(urls.get(i))) {
                c.problem("urls", i, urls.get(i), "expected an http:// or https:// URL like http://10.0.0.5:9600");
            }
        }
        AgentConfig.Coordinator coordinator = new AgentConfig.Coordinator(urls, c.secretFile("token_file"),
                c.duration("heartbeat_interval", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10)),
                c.duration("request_timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5)),
                c.integer("outbox_max_events", 100_000, 10, 10_000_000),
                c.integer("batch_size", 200, 1, 10_000));
        if (!urls.isEmpty() && coordinator.token() == null && !c.has("token_file")) {
            c.problem("token_file", null, "required when coordinator.urls is set; expected a file holding the agent's bearer token");
        }

        ConfigReader s = root.section("supervision");
        AgentConfig.Supervision supervision = new AgentConfig.Supervision(
                s.duration("restart_backoff_initial", Duration.ofSeconds(1), MS, Duration.ofHours(1)),
                s.duration("restart_backoff_max", Duration.ofSeconds(30), MS, Duration.ofHours(1)),
                s.integer("crash_loop_max_restarts", 5, 1, 1000),
                s.duration("crash_loop_window", Duration.ofMinutes(2), Duration.ofSeconds(1), DAY),
                s.duration("stop_timeout", Duration.ofSeconds(10), MS, Duration.ofMinutes(10)),
                s.bool("stop_services_on_exit", false),
                s.path("systemctl", Path.of("/usr/bin/systemctl")),
                s.duration("systemd_poll_interval", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(10)));
        if (supervision.restartBackoffMax().compareTo(supervision.restartBackoffInitial()) < 0) {
            s.problem("restart_backoff_max", ConfigReader.format(supervision.restartBackoffMax()),
                    "expected at least restart_backoff_initial (" + ConfigReader.format(supervision.restartBackoffInitial()) + ")");
        }

        ConfigReader m = root.section("metrics");
        List<Path> diskPaths = new ArrayList<>();
        for (String p : m.stringList("disk_paths", List.of())) {
            diskPaths.add(Path.of(p));
        }
        AgentConfig.Metrics metrics = new AgentConfig.Metrics(
                m.duration("host_interval", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofHours(1)), diskPaths);

        Map<String, AgentConfig.Service> services = new LinkedHashMap<>();
        Map<HostPort, String> taken = new HashMap<>();
        ConfigReader servicesSection = root.section("services");
        for (Map.Entry<String, ConfigReader> e : root.namedSections("services").entrySet()) {
            if (!e.getKey().matches("[a-z][a-z0-9_-]{0,31}")) {
                servicesSection.problem(e.getKey(), e.getKey(),
                        "expected a service name of 1-32 lower-case letters, digits, '_' or '-', starting with a letter (like redis, sentinel)");
            }
            AgentConfig.Service svc = service(e.getKey(), e.getValue());
            if (svc == null) {
                continue;
            }
            String other = svc.address() == null ? null : taken.putIfAbsent(svc.address(), svc.name());
            if (other != null) {
                e.getValue().problem("address", svc.address().toString(), "already used by services." + other + "; expected a distinct host:port");
            }
            services.put(svc.name(), svc);
        }
        return new AgentConfig(file, agent, http, logging, coordinator, supervision, metrics, java.util.Collections.unmodifiableMap(services),
                FailoverConfigReader.failover(root), FailoverConfigReader.haproxy(root), FailoverConfigReader.hooks(root));
    }

    private AgentConfig.Service service(String name, ConfigReader r) {
        AgentConfig.Kind defaultKind = switch (name) {
            case "redis" -> AgentConfig.Kind.REDIS;
            case "sentinel" -> AgentConfig.Kind.SENTINEL;
            default -> null;
        };
        AgentConfig.Kind kind = r.choice("kind", defaultKind, AgentConfig.Kind.class);
        if (kind == null && !r.has("kind")) {
            r.problem("kind", null, "required for a service not named redis or sentinel; expected one of redis, sentinel");
        }
        HostPort address = r.hostPort("address", null);
        if (address == null && !r.has("address")) {
            r.problem("address", null, "required; expected host:port the service answers on (like 127.0.0.1:6379)");
        }
        ConfigReader sup = r.section("supervise");
        AgentConfig.Mode mode = sup.choice("mode", AgentConfig.Mode.SPAWN, AgentConfig.Mode.class);
        String defaultBinary = kind == AgentConfig.Kind.SENTINEL ? "/usr/bin/redis-sentinel" : "/usr/bin/redis-server";
        Path binary = sup.path("binary", Path.of(defaultBinary));
        List<String> args = sup.stringList("args", List.of());
        Path workDir = sup.path("workdir", null);
        String unit = sup.string("unit", null);
        if (mode == AgentConfig.Mode.SYSTEMD && unit == null) {
            sup.problem("unit", null, "required when mode is systemd; expected a unit name like redis-server.service");
        }
        for (String spawnOnly : List.of("binary", "args")) {
            if (mode != AgentConfig.Mode.SPAWN && sup.keys().contains(spawnOnly)) {
                sup.problem(spawnOnly, null, "only used when mode is spawn, and mode is " + mode.name().toLowerCase(Locale.ROOT)
                        + "; remove it or set mode: spawn");
            }
        }
        ConfigReader probe = r.section("probe");
        Duration interval = probe.duration("interval", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMinutes(10));
        Duration timeout = probe.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(1));
        int unhealthyAfter = probe.integer("unhealthy_after", 3, 1, 100);
        if (kind == null || address == null) {
            r.secretFile("password_file");
            return null;
        }
        return new AgentConfig.Service(name, kind, address, r.secretFile("password_file"), mode, binary, args, workDir,
                unit, interval, timeout, unhealthyAfter);
    }

    private static boolean validHttpUrl(String s) {
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
