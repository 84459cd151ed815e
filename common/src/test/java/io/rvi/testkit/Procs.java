package io.rvi.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Looks at the machine's processes. Command lines are read from {@code /proc/PID/cmdline}: Redis rewrites
 * its process title ({@code redis-server 127.0.0.1:6390}), and the JDK's {@code ProcessHandle.Info.commandLine()}
 * is then empty.
 */
public final class Procs {
    private Procs() {}

    /** The command line as {@code ps} shows it (NULs as spaces), or "" when it cannot be read. */
    public static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            if (!s.isEmpty()) {
                return s;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone: fall back
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
    }

    /**
     * Live processes whose command line (for Redis: its process title, e.g.
     * {@code redis-server 127.0.0.1:6390}) contains {@code fragment}.
     */
    public static List<ProcessHandle> matching(String fragment) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.isAlive() && commandLine(p.pid()).contains(fragment))
                .toList();
    }

    /** redis-server processes serving {@code host:port} (not sentinels). */
    public static long redisServersOn(String host, int port) {
        return matching(host + ":" + port).stream()
                .filter(p -> !commandLine(p.pid()).contains("[sentinel]")).count();
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILL, then waits up to 5 s for it to be gone. */
    public static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroyForcibly();
            Await.until("pid " + pid + " gone after SIGKILL", Duration.ofSeconds(5), () -> !h.isAlive());
        });
    }

    /** SIGKILLs every redis-server / redis-sentinel serving {@code host:port} (test clean-up). */
    public static void killRedisOn(String host, int port) {
        for (ProcessHandle p : matching(host + ":" + port)) {
            if (commandLine(p.pid()).contains("redis")) {
                p.destroyForcibly();
            }
        }
    }

    /** SIGKILLs every process whose command line contains {@code fragment} (test clean-up). */
    public static void killMatching(String fragment) {
        for (ProcessHandle p : matching(fragment)) {
            if (p.pid() != ProcessHandle.current().pid()) {
                p.destroyForcibly();
            }
        }
    }
}
