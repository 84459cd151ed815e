package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line, working directory and log file of a spawned service. The address is appended after
 * the configured arguments so it always wins: {@code --port P --bind HOST --daemonize no} (the agent
 * watches the process it starts, so it must not fork away). {@link ProcessOps} puts {@code /usr/bin/setsid}
 * in front when present, so the process gets its own session and a terminal's Ctrl-C or hang-up sent to
 * the agent's process group does not reach it ({@code setsid} execs in place: the PID is Redis's).
 * Plain class.
 */
public final class SpawnCommand {
    private SpawnCommand() {}

    public static List<String> argv(AgentConfig.Service s) {
        return argv(s, List.of());
    }

    /**
     * The command line with {@code extraArgs} (from the {@link StartGate}) last, after the address, so they
     * win over both the configured arguments and a config file. The pidfile's argument hash stays that of
     * the configured arguments only.
     */
    public static List<String> argv(AgentConfig.Service s, List<String> extraArgs) {
        List<String> argv = new ArrayList<>();
        argv.add(s.binary().toString());
        argv.addAll(s.args());
        argv.add("--port");
        argv.add(Integer.toString(s.address().port()));
        argv.add("--bind");
        argv.add(s.address().host());
        argv.add("--daemonize");
        argv.add("no");
        argv.addAll(extraArgs);
        return argv;
    }

    /** The configured working directory, else {@code <stateDir>/work/<service>}. */
    public static Path workDir(AgentConfig.Service s, AgentConfig.Agent agent) {
        return s.workDir() != null ? s.workDir() : agent.stateDir().resolve("work").resolve(fileName(s.name()));
    }

    /** {@code <logDir>/<service>.log}, appended to. */
    public static Path logFile(AgentConfig.Service s, AgentConfig.Agent agent) {
        return agent.logDir().resolve(fileName(s.name()) + ".log");
    }

    /** {@code <stateDir>/run}. */
    public static Path runDir(AgentConfig.Agent agent) {
        return agent.stateDir().resolve("run");
    }

    /** A service name made safe as a file name. */
    public static String fileName(String service) {
        String s = service.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }
}
