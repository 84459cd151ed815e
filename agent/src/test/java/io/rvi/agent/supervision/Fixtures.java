package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Config records for supervision tests. */
final class Fixtures {
    private Fixtures() {}

    static AgentConfig.Agent agent(Path root) {
        return new AgentConfig.Agent("agent-test", "test", "127.0.0.1", root.resolve("state"), root.resolve("log"));
    }

    /** Fast policy: 50-400 ms backoff, {@code maxRestarts} in 1 min, 2 s stop timeout. */
    static AgentConfig.Supervision policy(int maxRestarts) {
        return policy(maxRestarts, Path.of("/usr/bin/systemctl"), false);
    }

    static AgentConfig.Supervision policy(int maxRestarts, Path systemctl, boolean stopOnExit) {
        return new AgentConfig.Supervision(Duration.ofMillis(50), Duration.ofMillis(400), maxRestarts, Duration.ofMinutes(1),
                Duration.ofSeconds(2), stopOnExit, systemctl, Duration.ofMillis(100));
    }

    static AgentConfig.Service redis(String name, String host, int port, Path workDir, String... args) {
        return new AgentConfig.Service(name, AgentConfig.Kind.REDIS, new HostPort(host, port), null, AgentConfig.Mode.SPAWN,
                Path.of("/usr/bin/redis-server"), List.of(args), workDir, null, Duration.ofMillis(200), Duration.ofMillis(500), 2);
    }

    static AgentConfig.Service sentinel(String name, String host, int port, Path workDir, Path conf) {
        return new AgentConfig.Service(name, AgentConfig.Kind.SENTINEL, new HostPort(host, port), null, AgentConfig.Mode.SPAWN,
                Path.of("/usr/bin/redis-sentinel"), List.of(conf.toString()), workDir, null, Duration.ofMillis(200),
                Duration.ofMillis(500), 2);
    }

    static AgentConfig.Service systemd(String name, String host, int port, String unit) {
        return new AgentConfig.Service(name, AgentConfig.Kind.REDIS, new HostPort(host, port), null, AgentConfig.Mode.SYSTEMD,
                null, List.of(), null, unit, Duration.ofMillis(200), Duration.ofMillis(500), 2);
    }

    static AgentConfig.Service withProbeInterval(AgentConfig.Service s, Duration interval) {
        return new AgentConfig.Service(s.name(), s.kind(), s.address(), s.password(), s.mode(), s.binary(), s.args(), s.workDir(),
                s.unit(), interval, s.probeTimeout(), s.unhealthyAfter());
    }

    static AgentConfig.Service withArgs(AgentConfig.Service s, String... args) {
        return new AgentConfig.Service(s.name(), s.kind(), s.address(), s.password(), s.mode(), s.binary(), List.of(args),
                s.workDir(), s.unit(), s.probeInterval(), s.probeTimeout(), s.unhealthyAfter());
    }

    static AgentConfig.Service withPassword(AgentConfig.Service s, String password) {
        return new AgentConfig.Service(s.name(), s.kind(), s.address(), new Secret(password, "/etc/rvi/" + s.name() + ".password"),
                s.mode(), s.binary(), s.args(), s.workDir(), s.unit(), s.probeInterval(), s.probeTimeout(), s.unhealthyAfter());
    }

    static AgentConfig.Service observed(String name, String host, int port) {
        return new AgentConfig.Service(name, AgentConfig.Kind.REDIS, new HostPort(host, port), null, AgentConfig.Mode.NONE,
                null, List.of(), null, null, Duration.ofMillis(200), Duration.ofMillis(500), 2);
    }

    static AgentConfig.Service withBinary(AgentConfig.Service s, Path binary) {
        return new AgentConfig.Service(s.name(), s.kind(), s.address(), s.password(), s.mode(), binary, s.args(),
                s.workDir(), s.unit(), s.probeInterval(), s.probeTimeout(), s.unhealthyAfter());
    }
}
