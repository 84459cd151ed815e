package io.rvi.agent.config;

import io.rvi.common.config.HostPort;
import io.rvi.common.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The whole agent configuration, validated. Built only by {@link AgentConfigLoader}. */
public record AgentConfig(
        Path file,
        Agent agent,
        Http http,
        Logging logging,
        Coordinator coordinator,
        Supervision supervision,
        Metrics metrics,
        Map<String, Service> services) {

    /** Who this agent is and where it keeps its files. */
    public record Agent(String id, String cluster, String host, Path stateDir, Path logDir) {}

    /** The agent's own HTTP listener. {@code token} guards action endpoints; TLS is on when both files are set. */
    public record Http(String bind, int port, long maxBodyBytes, Secret token, Path tlsCertFile, Path tlsKeyFile) {
        public boolean tls() {
            return tlsCertFile != null;
        }
    }

    public enum LogFormat { TEXT, JSON }

    public record Logging(LogFormat format, String level) {}

    /** Where to report. An empty {@code urls} list means standalone: nothing is reported. */
    public record Coordinator(List<String> urls, Secret token, Duration heartbeatInterval, Duration requestTimeout,
                              int outboxMaxEvents, int batchSize) {}

    /**
     * Restart policy for spawned services. {@code stopServicesOnExit}: whether stopping the agent also
     * stops what it spawned (default false: restarting the agent never takes Redis down).
     */
    public record Supervision(Duration restartBackoffInitial, Duration restartBackoffMax, int crashLoopMaxRestarts,
                              Duration crashLoopWindow, Duration stopTimeout, boolean stopServicesOnExit,
                              Path systemctl, Duration systemdPollInterval) {}

    /** Host metrics: how often OSHI is sampled, and which directories' disks are reported. */
    public record Metrics(Duration hostInterval, List<Path> diskPaths) {}

    public enum Kind { REDIS, SENTINEL }

    public enum Mode { SPAWN, SYSTEMD, NONE }

    /**
     * One supervised service.
     *
     * @param args       arguments after the binary (spawn mode)
     * @param workDir    working directory of the spawned process
     * @param unit       systemd unit (systemd mode)
     * @param unhealthyAfter consecutive failed probes before the service counts as unhealthy
     */
    public record Service(String name, Kind kind, HostPort address, Secret password, Mode mode, Path binary,
                          List<String> args, Path workDir, String unit, Duration probeInterval,
                          Duration probeTimeout, int unhealthyAfter) {
        /** Whether a change from {@code other} to this needs the process restarted. */
        public boolean processDiffers(Service other) {
            return other == null || kind != other.kind || !address.equals(other.address) || mode != other.mode
                    || !java.util.Objects.equals(binary, other.binary) || !args.equals(other.args)
                    || !java.util.Objects.equals(workDir, other.workDir) || !java.util.Objects.equals(unit, other.unit);
        }
    }
}
