package io.rvi.coordinator.app;

import io.rvi.common.Clock;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import io.rvi.common.config.ConfigException;
import io.rvi.common.config.ConfigProblem;
import io.rvi.common.logging.LoggingSetup;
import io.rvi.coordinator.config.CoordinatorConfig;
import io.rvi.coordinator.config.CoordinatorConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rvi-coordinator [run] [--config PATH]} serves until SIGTERM/SIGINT;
 * {@code rvi-coordinator check-config [--config PATH]} validates the config and exits 0 (valid) or
 * 2 (each problem printed as {@code file:line: key: ...}). Exit codes: {@link ExitCode}.
 */
@Command(name = "rvi-coordinator", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 64, exitCodeOnExecutionException = 1, version = "rvi-coordinator 0.1.0",
        description = "Agent registry, fleet view and event journal of rvi.",
        subcommands = {CoordinatorMain.Run.class, CoordinatorMain.CheckConfig.class})
public final class CoordinatorMain implements Callable<Integer> {
    private static final long STOP_TIMEOUT_SECONDS = 15;

    @Option(names = "--config", paramLabel = "PATH", description = "config file (default: ${DEFAULT-VALUE})")
    Path config = CoordinatorConfigLoader.DEFAULT_PATH;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (without exiting). */
    public static int execute(String... args) {
        CommandLine cmd = new CommandLine(new CoordinatorMain());
        return cmd.execute(args);
    }

    @Override
    public Integer call() {
        return run(config);
    }

    @Command(name = "run", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 64, exitCodeOnExecutionException = 1, description = "Serve (the default command).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "PATH", description = "config file (default: ${DEFAULT-VALUE})")
        Path config = CoordinatorConfigLoader.DEFAULT_PATH;

        @Override
        public Integer call() {
            return run(config);
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 64, exitCodeOnExecutionException = 1,
            description = "Validate the config file: exit 0 when valid, 2 with every problem listed.")
    static final class CheckConfig implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "PATH", description = "config file (default: ${DEFAULT-VALUE})")
        Path config = CoordinatorConfigLoader.DEFAULT_PATH;

        @Override
        public Integer call() {
            CoordinatorConfig c = load(config, System.err);
            if (c == null) {
                return ExitCode.CONFIG.code;
            }
            System.out.println(config + ": ok");
            return ExitCode.OK.code;
        }
    }

    static CoordinatorConfig load(Path file, PrintStream err) {
        try {
            return new CoordinatorConfigLoader(System.getenv()).load(file);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println(p);
            }
            err.println(file + ": " + e.problems().size() + " problem(s); " + ExitCode.CONFIG.meaning);
            return null;
        }
    }

    private static int run(Path file) {
        CoordinatorConfig config = load(file, System.err);
        if (config == null) {
            return ExitCode.CONFIG.code;
        }
        LoggingSetup.apply(config.logging().format().name().toLowerCase(Locale.ROOT), config.logging().level());
        Logger log = LoggerFactory.getLogger(CoordinatorMain.class);
        CoordinatorWiring wiring = new CoordinatorWiring(config, Clock.SYSTEM);
        try {
            wiring.start().toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            ExitCode code = e.getCause() instanceof StartupException se ? se.exitCode() : ExitCode.INTERNAL;
            log.error("cannot start: {} (exit {}: {})", e.getCause().getMessage(), code.code, code.meaning);
            System.err.println("rvi-coordinator: " + e.getCause().getMessage());
            awaitStop(wiring, log);
            LoggingSetup.flush();
            return code.code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERNAL.code;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping (signal received)");
            try {
                if (awaitStop(wiring, log)) {
                    log.info("stopped");
                }
            } finally {
                stopped.countDown();
                LoggingSetup.flush();
            }
        }, "rvi-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK.code;
    }

    private static boolean awaitStop(CoordinatorWiring wiring, Logger log) {
        try {
            wiring.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("stop did not finish cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
