package io.rvi.agent.config;

import io.rvi.common.config.ConfigReader;
import io.rvi.common.config.HostPort;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code failover}, {@code haproxy} and {@code hooks} sections of agent.yaml. */
final class FailoverConfigReader {
    private FailoverConfigReader() {}

    static AgentConfig.Failover failover(ConfigReader root) {
        boolean present = root.has("failover");
        ConfigReader f = root.section("failover");
        String masterName = f.string("master_name", "mymaster");
        if (!masterName.matches("[A-Za-z0-9._-]{1,64}")) {
            f.problem("master_name", masterName, "expected the Sentinel master name: 1-64 letters, digits, '.', '_' or '-'");
        }
        List<HostPort> sentinels = new ArrayList<>();
        List<String> raw = f.stringList("sentinels", List.of());
        for (int i = 0; i < raw.size(); i++) {
            HostPort hp = HostPort.parseOrNull(raw.get(i));
            if (hp == null) {
                f.problem("sentinels", raw.get(i), "sentinels[" + i + "]: expected host:port of a Sentinel (like 10.0.0.12:26379)");
            } else {
                sentinels.add(hp);
            }
        }
        AgentConfig.Failover out = new AgentConfig.Failover(masterName, List.copyOf(sentinels),
                f.bool("fence_returning_master", true),
                f.bytes("replica_max_lag_bytes", 1024 * 1024, 0, Long.MAX_VALUE / 2),
                f.duration("check_interval", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMinutes(10)),
                f.duration("restart_hold", AgentConfig.Failover.DEFAULT_RESTART_HOLD, Duration.ZERO, Duration.ofHours(1)));
        return present ? out : null;
    }

    static AgentConfig.Haproxy haproxy(ConfigReader root) {
        boolean present = root.has("haproxy");
        ConfigReader h = root.section("haproxy");
        String api = present ? h.requiredString("runtime_api") : h.string("runtime_api", null);
        String write = h.string("write_backend", "redis_write");
        String read = h.string("read_backend", null);
        Map<HostPort, String> servers = new LinkedHashMap<>();
        ConfigReader s = h.section("servers");
        for (String key : s.keys()) {
            HostPort hp = HostPort.parseOrNull(key);
            String name = s.string(key, null);
            if (hp == null) {
                s.problem(key, key, "expected a Redis address host:port as the key, mapped to an HAProxy server name");
            } else if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                s.problem(key, name, "expected an HAProxy server name (letters, digits, '.', '_' or '-')");
            } else {
                servers.put(hp, name);
            }
        }
        if (present && servers.isEmpty()) {
            h.problem("servers", null, "required; expected a mapping of Redis host:port to HAProxy server name");
        }
        Duration timeout = h.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(1));
        return present ? new AgentConfig.Haproxy(api, write, read, Map.copyOf(servers), timeout) : null;
    }

    static AgentConfig.Hooks hooks(ConfigReader root) {
        ConfigReader h = root.section("hooks");
        return new AgentConfig.Hooks(hookList(h, "on_failover"), hookList(h, "on_role_change"));
    }

    private static List<AgentConfig.Hook> hookList(ConfigReader hooks, String key) {
        List<AgentConfig.Hook> out = new ArrayList<>();
        for (Map.Entry<String, ConfigReader> e : hooks.namedSections(key).entrySet()) {
            ConfigReader r = e.getValue();
            List<String> exec = r.stringList("exec", List.of());
            String url = r.string("webhook", null);
            URI webhook = null;
            if (url != null) {
                try {
                    webhook = URI.create(url);
                    if (!"http".equals(webhook.getScheme()) && !"https".equals(webhook.getScheme())) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException ex) {
                    r.problem("webhook", url, "expected an http:// or https:// URL");
                    webhook = null;
                }
            }
            if (exec.isEmpty() == (url == null)) {
                r.problem(exec.isEmpty() ? "exec" : "webhook", null, "expected exactly one of exec (a command as a list) or webhook (a URL)");
            }
            Duration timeout = r.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMinutes(10));
            out.add(new AgentConfig.Hook(List.copyOf(exec), webhook, timeout));
        }
        return List.copyOf(out);
    }
}
