package io.rvi.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real haproxy (Debian's /usr/sbin/haproxy, or -Drvi.test.haproxy), a child of the test JVM, run in the
 * foreground ({@code -db}) with a config written to its own directory. The config text may use
 * {@code ${SOCKET}} for the admin socket path ({@code dir/admin.sock}). Waits until the admin socket
 * accepts connections. Close it in {@code @AfterEach}.
 */
public final class HaproxyProcess implements AutoCloseable {
    public static final Path HAPROXY = Path.of(System.getProperty("rvi.test.haproxy", "/usr/sbin/haproxy"));

    private final Path dir;
    private final Path socket;
    private final Path log;
    private final Process process;

    private HaproxyProcess(Path dir, Path socket, Path log, Process process) {
        this.dir = dir;
        this.socket = socket;
        this.log = log;
        this.process = process;
    }

    /** Skips the calling test, saying why, when haproxy is missing. */
    public static void assumeAvailable() {
        if (!Files.isExecutable(HAPROXY)) {
            String why = "SKIPPED: needs " + HAPROXY + " (Debian package haproxy); not found or not executable";
            System.err.println(why);
            Assumptions.abort(why);
        }
    }

    /** Starts haproxy with {@code config} (where {@code ${SOCKET}} is replaced) in {@code dir}. */
    public static HaproxyProcess start(Path dir, String config) {
        assumeAvailable();
        Path socket = dir.resolve("admin.sock");
        Path cfg = dir.resolve("haproxy.cfg");
        Path log = dir.resolve("haproxy.log");
        try {
            Files.writeString(cfg, config.replace("${SOCKET}", socket.toString()));
            Process p = new ProcessBuilder(List.of(HAPROXY.toString(), "-f", cfg.toString(), "-db"))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            HaproxyProcess h = new HaproxyProcess(dir, socket, log, p);
            try {
                Await.until("haproxy admin socket " + socket + " accepts", Duration.ofSeconds(10), () -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("haproxy exited with code " + p.exitValue() + ":\n" + h.logText());
                    }
                    return h.socketAccepts();
                }, h::logText);
            } catch (RuntimeException | AssertionError e) {
                h.close();
                throw e;
            }
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy", e);
        }
    }

    /** A minimal global + defaults section (tcp mode) with the admin socket at {@code ${SOCKET}}. */
    public static String globalAndDefaults() {
        return """
                global
                    stats socket ${SOCKET} level admin
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 30s
                    timeout server 30s
                    timeout check 500ms
                """;
    }

    public Path socket() {
        return socket;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean socketAccepts() {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL, waits until it is gone. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
