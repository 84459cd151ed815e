package io.rvi.agent.hooks;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an exec hook on a worker thread: no shell, the argv as given; its output goes to the agent's
 * own stdout/stderr (the journal). Killed (with its descendants) when {@code timeout} passes. Fails
 * on a non-zero exit, a timeout or a command that cannot start.
 */
public final class ExecHook {
    private ExecHook() {}

    public static Future<Integer> run(WorkerExecutor worker, List<String> argv, Map<String, String> env, Duration timeout) {
        return worker.executeBlocking(() -> runBlocking(argv, env, timeout), false);
    }

    static int runBlocking(List<String> argv, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw e;
        }
        if (!done) {
            kill(p);
            throw new TimeoutException(argv.get(0) + " still running after " + timeout.toMillis() + " ms; killed (pid " + p.pid() + ")");
        }
        int code = p.exitValue();
        if (code != 0) {
            throw new IOException(argv.get(0) + " exited with code " + code);
        }
        return code;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
