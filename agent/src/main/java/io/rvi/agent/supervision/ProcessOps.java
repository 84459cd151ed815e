package io.rvi.agent.supervision;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every OS process call supervision makes, each run on the process worker executor (never on the event
 * loop): spawn, inspect a PID, signal it, pidfile I/O. Results come back on the caller's context.
 */
final class ProcessOps {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessOps.class);
    static final Path SETSID = Path.of("/usr/bin/setsid");

    private final WorkerExecutor workers;
    private final PidFiles pidFiles;
    private volatile Boolean setsid;

    ProcessOps(WorkerExecutor workers, PidFiles pidFiles) {
        this.workers = workers;
        this.pidFiles = pidFiles;
    }

    /** A process we started: the child handle (for its exit code), its PID and start time. */
    record Spawned(Process process, long pid, long startedAt) {}

    /**
     * Starts {@code argv} in {@code workDir} (created if missing), stdin from /dev/null, stdout and stderr
     * appended to {@code logFile}, so the child holds no pipe to the agent and outlives it; in its own
     * session through {@code setsid} when available (see {@link SpawnCommand}); then writes the pidfile.
     * Fails when the binary is missing or not executable.
     */
    Future<Spawned> spawn(String service, List<String> argv, Path binary, Path workDir, Path logFile,
                          PidRecordFactory pidRecord) {
        return workers.executeBlocking(() -> {
            if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
                throw new IOException("binary " + binary + " is missing or not executable");
            }
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            List<String> cmd = argv;
            if (useSetsid()) {
                cmd = new java.util.ArrayList<>(argv);
                cmd.add(0, SETSID.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            Process p = pb.start();
            long started = p.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
            try {
                pidFiles.write(service, pidRecord.create(p.pid(), started));
            } catch (IOException e) {
                p.destroyForcibly();
                throw new IOException("cannot write pidfile " + pidFiles.path(service) + ": " + e.getMessage(), e);
            }
            return new Spawned(p, p.pid(), started);
        }, false);
    }

    private boolean useSetsid() {
        Boolean b = setsid;
        if (b == null) {
            b = Files.isExecutable(SETSID);
            setsid = b;
            if (!b) {
                LOG.info("{} not found: spawned services stay in the agent's session", SETSID);
            }
        }
        return b;
    }

    /** Builds the pidfile record once PID and start time are known. */
    interface PidRecordFactory {
        PidRecord create(long pid, long startedAt);
    }

    /** What the OS says about {@code pid} now. */
    Future<ProcessFacts> inspect(long pid) {
        return workers.executeBlocking(() -> facts(pid), false);
    }

    static ProcessFacts facts(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return ProcessFacts.gone(pid);
        }
        ProcessHandle.Info info = h.get().info();
        long started = info.startInstant().map(Instant::toEpochMilli).orElse(-1L);
        String exe = info.command().map(ProcessOps::realPath).orElse(null);
        return new ProcessFacts(pid, true, started, exe);
    }

    /** Sends SIGTERM ({@code force}: SIGKILL). Succeeds with false when the process is already gone. */
    Future<Boolean> signal(long pid, boolean force) {
        return workers.executeBlocking(() -> {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return false;
            }
            return force ? h.get().destroyForcibly() : h.get().destroy();
        }, false);
    }

    Future<Boolean> isAlive(long pid) {
        return workers.executeBlocking(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), false);
    }

    Future<PidRecord> readPidFile(String service) {
        return workers.executeBlocking(() -> pidFiles.read(service), false);
    }

    /** Deletes the service's pidfile if it still names {@code pid}. */
    Future<Void> deletePidFile(String service, long pid) {
        return workers.executeBlocking(() -> {
            pidFiles.deleteIfPid(service, pid);
            return null;
        }, false);
    }

    /** Resolves links ({@code /usr/bin/redis-server} is a link to {@code redis-check-rdb} on Debian). */
    static String realPath(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return path;
        }
    }

    /** The handle of a running process, or empty when it is gone. */
    Future<Optional<ProcessHandle>> handle(long pid) {
        return workers.executeBlocking(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive), false);
    }

    /** The pidfile, what the OS says about its PID, and the configured binary with links resolved. */
    record Found(PidRecord record, ProcessFacts facts, String executable) {}

    Future<Found> lookup(String service, Path binary) {
        return workers.executeBlocking(() -> {
            PidRecord r = pidFiles.read(service);
            return new Found(r, r == null ? null : facts(r.pid()), realPath(binary.toString()));
        }, false);
    }

    /**
     * Completes {@code exit} on {@code context} when the process ends: with its exit status for our
     * child, with an unknown status for a process we did not start (the JDK polls for those).
     */
    static void onExit(Context context, Process child, ProcessHandle handle, Promise<ExitStatus> exit) {
        CompletableFuture<?> cf = child != null ? child.onExit() : handle.onExit();
        cf.whenComplete((v, err) -> context.runOnContext(x ->
                exit.tryComplete(new ExitStatus(child != null ? Integer.valueOf(child.exitValue()) : null))));
    }
}
