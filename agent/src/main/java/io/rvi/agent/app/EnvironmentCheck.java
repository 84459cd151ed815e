package io.rvi.agent.app;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the config file alone cannot tell: whether the agent's directories can be written and the
 * binaries it must run exist. Each failure has its own exit code.
 */
public final class EnvironmentCheck {
    /** One failure: the exit code it ends startup with, and what to tell the operator. */
    public record Failure(ExitCode exitCode, String message) {}

    private EnvironmentCheck() {}

    /** Every problem found (creating missing directories on the way), each naming the key and the path. */
    public static List<Failure> failures(AgentConfig config) {
        List<Failure> out = new ArrayList<>();
        dir(config, "state_dir", config.agent().stateDir(), out);
        dir(config, "log_dir", config.agent().logDir(), out);
        for (AgentConfig.Service s : config.services().values()) {
            if (s.mode() == AgentConfig.Mode.SPAWN && !Files.isExecutable(s.binary())) {
                out.add(new Failure(ExitCode.MISSING_BINARY, config.file() + ": services." + s.name() + ".supervise.binary: "
                        + s.binary() + ": " + (Files.exists(s.binary()) ? "not executable" : "no such file")
                        + "; install it or set the path"));
            }
            if (s.mode() == AgentConfig.Mode.SYSTEMD && !Files.isExecutable(config.supervision().systemctl())) {
                out.add(new Failure(ExitCode.MISSING_BINARY, config.file() + ": supervision.systemctl: "
                        + config.supervision().systemctl() + ": no such executable (needed by services." + s.name() + ")"));
            }
        }
        return out;
    }

    /** Throws the first failure as a {@link StartupException} carrying its exit code. */
    public static void verify(AgentConfig config) {
        List<Failure> f = failures(config);
        if (!f.isEmpty()) {
            throw new StartupException(f.get(0).exitCode(), f.get(0).message());
        }
    }

    private static void dir(AgentConfig config, String key, Path p, List<Failure> out) {
        String why = null;
        try {
            Files.createDirectories(p);
            if (!Files.isWritable(p)) {
                why = "not writable by this user";
            }
        } catch (IOException e) {
            why = Files.exists(p) && !Files.isDirectory(p) ? "not a directory" : "cannot be created (" + e.getClass().getSimpleName() + ")";
        }
        if (why != null) {
            out.add(new Failure(ExitCode.STATE_DIR, config.file() + ": agent." + key + ": " + p + ": " + why));
        }
    }
}
