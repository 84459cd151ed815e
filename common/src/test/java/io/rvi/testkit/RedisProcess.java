package io.rvi.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server or redis-sentinel, a child of the test JVM, on {@code host:port}, with its own
 * directory (data, config, log). Started by {@link RedisHarness}; answers PING when handed out.
 */
public final class RedisProcess implements AutoCloseable {
    private final String kind;
    private final String host;
    private final int port;
    private final Path dir;
    private final Path log;
    private final Process process;

    private RedisProcess(String kind, String host, int port, Path dir, Path log, Process process) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.dir = dir;
        this.log = log;
        this.process = process;
    }

    /** Starts redis-server with no persistence, plus {@code extraArgs}, and waits until it answers PING. */
    static RedisProcess startServer(String host, int port, Path dir, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(RedisBinaries.REDIS_SERVER.toString(), "--port", Integer.toString(port),
                "--bind", host, "--daemonize", "no", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(extraArgs);
        return start("redis-server", host, port, dir, cmd);
    }

    /** Starts redis-sentinel with its own config file {@code dir/sentinel.conf} holding {@code confLines}. */
    static RedisProcess startSentinel(String host, int port, Path dir, List<String> confLines) {
        Path conf = dir.resolve("sentinel.conf");
        try {
            Files.write(conf, confLines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = List.of(RedisBinaries.REDIS_SENTINEL.toString(), conf.toString(), "--port", Integer.toString(port),
                "--bind", host, "--daemonize", "no", "--dir", dir.toString());
        return start("redis-sentinel", host, port, dir, cmd);
    }

    private static RedisProcess start(String kind, String host, int port, Path dir, List<String> cmd) {
        Path log = dir.resolve(kind + ".log");
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd.get(0), e);
        }
        RedisProcess rp = new RedisProcess(kind, host, port, dir, log, p);
        try {
            rp.awaitPing(Duration.ofSeconds(10));
        } catch (RuntimeException | AssertionError e) {
            rp.kill9();
            throw e;
        }
        return rp;
    }

    public String kind() {
        return kind;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A new connection (close it). */
    public RespClient client() {
        return new RespClient(host, port);
    }

    /** PING over a new connection: "PONG", an error text, or null when nothing answers. */
    public String ping() {
        try (RespClient c = client()) {
            return c.ping();
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    public void awaitPing(Duration limit) {
        Await.until(kind + " on " + address() + " answers PING", limit, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind + " exited with code " + process.exitValue() + ":\n" + tail(20));
            }
            return "PONG".equals(ping());
        }, () -> tail(20));
    }

    /** SIGKILL; returns once the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        waitGone(Duration.ofSeconds(5));
    }

    /** SIGTERM, SIGKILL after 5 s. */
    public void stop() {
        process.destroy();
        if (!waitGone(Duration.ofSeconds(5))) {
            kill9();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    /** The last {@code lines} lines of its log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean waitGone(Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    @Override
    public String toString() {
        return kind + "[" + address() + ", pid " + process.pid() + "]";
    }
}
