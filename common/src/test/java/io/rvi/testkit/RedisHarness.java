package io.rvi.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts real redis-server and redis-sentinel processes on loopback addresses with free ports, each in
 * its own directory under one temp dir, and kills them all (and deletes the dir) on {@link #close()}.
 * Construct it in {@code @BeforeEach} (it skips the test, saying why, when the binaries are missing) and
 * close it in {@code @AfterEach}.
 *
 * <pre>{@code
 * harness = new RedisHarness();
 * RedisProcess master = harness.redis("127.0.0.1");
 * RedisProcess replica = harness.redis("127.0.0.2", "--replicaof", "127.0.0.1", String.valueOf(master.port()));
 * RedisProcess sentinel = harness.sentinel("127.0.0.1", master, 1);
 * }</pre>
 */
public final class RedisHarness implements AutoCloseable {
    private final Path root;
    private final List<RedisProcess> processes = new ArrayList<>();
    private int next;

    public RedisHarness() {
        RedisBinaries.assumeAvailable();
        this.root = TempDirs.create("redis");
    }

    /** The temp dir holding every instance's directory. */
    public Path root() {
        return root;
    }

    /** A redis-server on {@code host} (free port), no persistence, extra command-line arguments appended. */
    public synchronized RedisProcess redis(String host, String... extraArgs) {
        return redisOn(host, FreePorts.free(host), extraArgs);
    }

    /** A redis-server on a given port. */
    public synchronized RedisProcess redisOn(String host, int port, String... extraArgs) {
        RedisProcess p = RedisProcess.startServer(host, port, newDir("redis-" + port), Arrays.asList(extraArgs));
        processes.add(p);
        return p;
    }

    /**
     * A redis-sentinel on {@code host} (free port) monitoring {@code master} as {@code mymaster} with
     * {@code quorum}, down-after 1000 ms, failover-timeout 5000 ms; {@code master == null}: monitors nothing.
     */
    public synchronized RedisProcess sentinel(String host, RedisProcess master, int quorum, String... extraConfLines) {
        int port = FreePorts.free(host);
        List<String> conf = new ArrayList<>(List.of("port " + port, "bind " + host));
        if (master != null) {
            conf.add("sentinel monitor mymaster " + master.host() + " " + master.port() + " " + quorum);
            conf.add("sentinel down-after-milliseconds mymaster 1000");
            conf.add("sentinel failover-timeout mymaster 5000");
        }
        conf.addAll(Arrays.asList(extraConfLines));
        RedisProcess p = RedisProcess.startSentinel(host, port, newDir("sentinel-" + port), conf);
        processes.add(p);
        return p;
    }

    /** An empty directory under the harness root (for configs, state dirs...). */
    public synchronized Path newDir(String name) {
        Path d = root.resolve(name + "-" + (next++));
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** Kills every process it started and deletes its directory. */
    @Override
    public synchronized void close() {
        for (RedisProcess p : processes) {
            try {
                p.close();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("testkit: could not kill " + p + ": " + e.getMessage());
            }
        }
        processes.clear();
        TempDirs.delete(root);
    }
}
