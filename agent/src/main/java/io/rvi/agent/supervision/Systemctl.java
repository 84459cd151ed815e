package io.rvi.agent.supervision;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs {@code systemctl show|restart UNIT} with a time limit. Starting the command and reading its output
 * run on the process worker executor; the wait for its exit does not hold a worker thread (a
 * {@code systemctl restart} can take as long as the unit's start).
 */
final class Systemctl {
    static final String PROPERTIES = "ActiveState,SubState,MainPID,NRestarts,Result";
    private static final int MAX_OUTPUT = 64 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final WorkerExecutor workers;

    Systemctl(Vertx vertx, Context context, WorkerExecutor workers) {
        this.vertx = vertx;
        this.context = context;
        this.workers = workers;
    }

    Future<SystemdStatus> show(Path systemctl, String unit, Duration timeout) {
        return run(List.of(systemctl.toString(), "show", unit, "--property=" + PROPERTIES), timeout)
                .map(SystemdStatus::parse);
    }

    Future<Void> restart(Path systemctl, String unit, Duration timeout) {
        return run(List.of(systemctl.toString(), "restart", unit), timeout).mapEmpty();
    }

    private record Started(Process process, Path output) {}

    /** Runs the command; fails on a non-zero exit (with its first output line) or on timeout. */
    private Future<String> run(List<String> cmd, Duration timeout) {
        String what = cmd.get(1) + " " + cmd.get(2);
        return workers.executeBlocking(() -> {
            Path out = Files.createTempFile("rvi-systemctl", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).start();
                return new Started(p, out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(out);
                throw e;
            }
        }, false).compose(started -> awaitExit(started.process(), timeout).transform(ar -> workers.executeBlocking(() -> {
            try {
                if (ar.failed()) {
                    started.process().destroyForcibly();
                    throw new IOException(what + ": no answer within " + Durations.words(timeout));
                }
                String text;
                try (InputStream in = Files.newInputStream(started.output())) {
                    text = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
                }
                int code = started.process().exitValue();
                if (code != 0) {
                    String first = text.lines().findFirst().orElse("").trim();
                    throw new IOException(what + " exited with code " + code + (first.isEmpty() ? "" : ": " + first));
                }
                return text;
            } finally {
                Files.deleteIfExists(started.output());
            }
        }, false)));
    }

    private Future<Void> awaitExit(Process p, Duration timeout) {
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> done.tryFail("timeout"));
        p.onExit().whenComplete((v, e) -> context.runOnContext(x -> {
            vertx.cancelTimer(timer);
            done.tryComplete();
        }));
        return done.future();
    }
}
