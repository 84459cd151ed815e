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
        Map<String, Service> services,
        Failover failover,
        Haproxy haproxy,
        Hooks hooks) {

    /**
     * The Redis replication group this host belongs to, as Sentinel knows it. Null when the
     * {@code failover} section is absent (no Sentinel watching, no routing endpoints).
     *
     * @param sentinels            every Sentinel of the group (the local one too): the agent subscribes
     *                             to each and asks them for the quorum's master
     * @param fenceReturningMaster turn a local Redis that claims master against the quorum into a replica at once
     * @param replicaMaxLagBytes   default lag limit of {@code GET /redis/replica}
     * @param checkInterval        how often the quorum's view is re-checked without events
     * @param restartHold          how long a local Redis that exited is kept down while the quorum still names it
     *                             master (or no quorum is known), waiting for Sentinel to fail over, before it is
     *                             restarted anyway; zero: never held
     */
    public record Failover(String masterName, List<HostPort> sentinels, boolean fenceReturningMaster, long replicaMaxLagBytes,
                           Duration checkInterval, Duration restartHold) {
        public static final Duration DEFAULT_RESTART_HOLD = Duration.ofSeconds(60);

        /** With the default {@code restart_hold}. */
        public Failover(String masterName, List<HostPort> sentinels, boolean fenceReturningMaster, long replicaMaxLagBytes,
                        Duration checkInterval) {
            this(masterName, sentinels, fenceReturningMaster, replicaMaxLagBytes, checkInterval, DEFAULT_RESTART_HOLD);
        }
    }

    /**
     * HAProxy in front of Redis, driven through its runtime API. Null when the section is absent.
     *
     * @param runtimeApi   the stats socket: a unix socket path, or host:port
     * @param servers      which HAProxy server (in the backends) is which Redis address
     */
    public record Haproxy(String runtimeApi, String writeBackend, String readBackend, Map<HostPort, String> servers,
                          Duration timeout) {}

    /** A user hook: a command (argv) or a webhook URL, with its time limit. */
    public record Hook(List<String> exec, java.net.URI webhook, Duration timeout) {}

    /** User hooks, each fired once per real event. */
    public record Hooks(List<Hook> onFailover, List<Hook> onRoleChange) {
        public static final Hooks NONE = new Hooks(List.of(), List.of());
    }


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
