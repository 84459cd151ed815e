package io.rvi.agent.app;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.config.AgentConfigLoader;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import io.rvi.common.config.ConfigException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rvi-agent [run] [--config PATH]}, {@code rvi-agent check-config [--config PATH]},
 * {@code rvi-agent version}. Every way out goes through {@link #execute} and ends with an
 * {@link ExitCode}.
 */
@Command(name = "rvi-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "The rvi host agent: supervises Redis and Sentinel, serves /metrics, reports to the coordinator.",
        subcommands = {AgentMain.Run.class, AgentMain.CheckConfig.class})
public final class AgentMain implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption config = new ConfigOption();

    /** No subcommand: run. */
    @Override
    public Integer call() {
        return run(config.path);
    }

    @Command(name = "run", description = "Run the agent (the default).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Override
        public Integer call() {
            return run(config.path);
        }
    }

    @Command(name = "check-config", description = "Validate the config file and the environment it names; exit 0 if good, 2 if not.")
    static final class CheckConfig implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                AgentConfig c = loader().load(config.path);
                List<EnvironmentCheck.Failure> failures = EnvironmentCheck.failures(c);
                if (!failures.isEmpty()) {
                    failures.forEach(f -> err.println(f.message()));
                    err.println(config.path + ": " + failures.size() + " problem(s)");
                    return ExitCode.CONFIG.code;
                }
                out.println(config.path + ": ok (" + c.services().size() + " service(s): " + String.join(", ", c.services().keySet()) + ")");
                return ExitCode.OK.code;
            } catch (ConfigException e) {
                e.problems().forEach(p -> err.println(p));
                err.println(config.path + ": " + e.problems().size() + " problem(s)");
                return ExitCode.CONFIG.code;
            }
        }
    }

    /** {@code -c/--config PATH}, shared by every command. */
    static final class ConfigOption {
        @Option(names = {"-c", "--config"}, description = "Config file. Default: ${DEFAULT-VALUE}")
        Path path = AgentConfigLoader.DEFAULT_PATH;
    }

    static AgentConfigLoader loader() {
        return new AgentConfigLoader(System.getenv(), hostName());
    }

    static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Loads the config, builds the agent and runs it until SIGTERM; returns the exit code. */
    static int run(Path configPath) {
        AgentConfig config;
        try {
            config = loader().load(configPath);
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            System.err.println("rvi-agent: " + configPath + ": " + e.problems().size() + " problem(s); not starting (exit " + ExitCode.CONFIG.code + ")");
            return ExitCode.CONFIG.code;
        }
        try {
            AgentWiring agent = AgentWiring.start(config, loader());
            agent.awaitTermination();
            return ExitCode.OK.code;
        } catch (StartupException e) {
            System.err.println("rvi-agent: " + e.getMessage() + " (exit " + e.exitCode().code + ": " + e.exitCode().meaning + ")");
            return e.exitCode().code;
        }
    }

    public static int execute(String... args) {
        return new CommandLine(new AgentMain()).execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rvi-agent " + version()};
        }
    }

    public static String version() {
        String v = AgentMain.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
