package io.rvi.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sentinel-managed replication group of real processes on 127.0.0.1 with free ports: one master, N
 * replicas, M Sentinels monitoring it as {@value #MASTER_NAME} (quorum given; down-after-milliseconds 1000,
 * failover-timeout 5000; each Sentinel its own config file in its own directory). Sentinels can be killed
 * and restarted on the same port with the config they rewrote. {@link #close()} kills everything and deletes
 * the directories; build it in {@code @BeforeEach}/{@code @BeforeAll} (it skips the test, saying why, when the
 * binaries are missing) and close it in {@code @AfterEach}/{@code @AfterAll}.
 *
 * <pre>{@code
 * estate = new SentinelEstate(2, 3, 2);
 * estate.awaitDiscovery(Duration.ofSeconds(15));   // before a failover can be agreed on
 * estate.master().kill9();
 * }</pre>
 */
public final class SentinelEstate implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";
    private static final String HOST = "127.0.0.1";

    private final RedisHarness harness;
    private final RedisProcess master;
    private final List<RedisProcess> replicas = new ArrayList<>();
    private final List<RedisProcess> sentinels = new ArrayList<>();
    private final List<RedisProcess> restarted = new ArrayList<>();

    public SentinelEstate(int replicas, int sentinels, int quorum) {
        this.harness = new RedisHarness();
        try {
            this.master = harness.redis(HOST);
            for (int i = 0; i < replicas; i++) {
                this.replicas.add(harness.redis(HOST, "--replicaof", HOST, String.valueOf(master.port())));
            }
            for (int i = 0; i < sentinels; i++) {
                this.sentinels.add(harness.sentinel(HOST, master, quorum));
            }
        } catch (RuntimeException | Error e) {
            harness.close();
            throw e;
        }
    }

    /** The master it started with (after a failover, a replica or dead). */
    public RedisProcess master() {
        return master;
    }

    public List<RedisProcess> replicas() {
        return List.copyOf(replicas);
    }

    /** Sentinel {@code i} as it runs now (the restarted process after {@link #restartSentinel}). */
    public synchronized RedisProcess sentinel(int i) {
        return sentinels.get(i);
    }

    public synchronized List<RedisProcess> sentinels() {
        return List.copyOf(sentinels);
    }

    /** {@code host:port} of every Sentinel. */
    public synchronized List<String> sentinelAddresses() {
        return sentinels.stream().map(RedisProcess::address).toList();
    }

    /**
     * Waits until every live Sentinel knows all the other Sentinels and all replicas (hello messages every
     * 2 s): before that, a failover may not find its quorum or its leader.
     */
    public void awaitDiscovery(Duration limit) {
        int others = sentinels.size() - 1;
        Await.until("every Sentinel sees " + others + " other Sentinel(s) and " + replicas.size() + " replica(s)", limit, () -> {
            for (RedisProcess s : sentinels()) {
                if (!s.isAlive()) {
                    continue;
                }
                try (RespClient c = s.client()) {
                    if (size(c.call("SENTINEL", "SENTINELS", MASTER_NAME)) != others
                            || size(c.call("SENTINEL", "REPLICAS", MASTER_NAME)) != replicas.size()) {
                        return false;
                    }
                }
            }
            return true;
        }, this::describe);
    }

    /** {@code SENTINEL GET-MASTER-ADDR-BY-NAME} asked of Sentinel {@code i}: {@code host:port}, or null. */
    public String masterSeenBy(int i) {
        try (RespClient c = sentinel(i).client()) {
            Object r = c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
            return r instanceof List<?> l && l.size() == 2 ? l.get(0) + ":" + l.get(1) : null;
        }
    }

    public void killSentinel(int i) {
        sentinel(i).kill9();
    }

    /** Starts Sentinel {@code i} again on its port, in its directory, with the config it last wrote. */
    public synchronized RedisProcess restartSentinel(int i) {
        RedisProcess old = sentinels.get(i);
        if (old.isAlive()) {
            throw new IllegalStateException(old + " is still running");
        }
        List<String> conf;
        try {
            conf = Files.readAllLines(old.dir().resolve("sentinel.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = old.dir();
        RedisProcess p = RedisProcess.startSentinel(old.host(), old.port(), dir, conf);
        restarted.add(p);
        sentinels.set(i, p);
        return p;
    }

    /** Who is what, for failure messages. */
    public String describe() {
        StringBuilder b = new StringBuilder("master " + master + (master.isAlive() ? "" : " (dead)"));
        for (RedisProcess s : sentinels()) {
            b.append("\n  ").append(s);
            if (s.isAlive()) {
                try (RespClient c = s.client()) {
                    b.append(" master=").append(c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME));
                } catch (RuntimeException e) {
                    b.append(" (").append(e.getMessage()).append(')');
                }
            } else {
                b.append(" (dead)");
            }
        }
        return b.toString();
    }

    /** The last {@code lines} lines of every Sentinel's log, for failure messages. */
    public String sentinelLogs(int lines) {
        StringBuilder b = new StringBuilder();
        for (RedisProcess s : sentinels()) {
            b.append("\n--- ").append(s).append('\n').append(s.tail(lines));
        }
        return b.toString();
    }

    @Override
    public synchronized void close() {
        for (RedisProcess p : restarted) {
            try {
                p.close();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("testkit: could not kill " + p + ": " + e.getMessage());
            }
        }
        restarted.clear();
        harness.close();
    }

    private static int size(Object reply) {
        return reply instanceof List<?> l ? l.size() : -1;
    }
}
