package io.rvi.e2e.drill;

import io.rvi.testkit.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client writing a unique counter through a load balancer every few milliseconds, each write
 * followed by {@code WAIT 1 <ms>}: a write is acknowledged when at least one replica has it. Records
 * every acknowledged counter and when it was acknowledged, and counts the writes that failed.
 */
public final class WriteLoad implements AutoCloseable {
    private final String host;
    private final int port;
    private final int waitMs;
    private final long pauseMs;
    private final ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
    private final List<long[]> ackTimes = new ArrayList<>(); // {nanoTime, counter}
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong next = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    public WriteLoad(String host, int port, int waitMs, long pauseMs) {
        this.host = host;
        this.port = port;
        this.waitMs = waitMs;
        this.pauseMs = pauseMs;
        this.thread = new Thread(this::loop, "write-load");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try (RespClient c = new RespClient(host, port, 1000)) {
                while (running) {
                    long n = next.incrementAndGet();
                    Object set = c.call("SET", "k:" + n, Long.toString(n));
                    if (!"OK".equals(set)) {
                        failed.incrementAndGet();
                        pause(20);
                        continue;
                    }
                    Object w = c.call("WAIT", "1", Integer.toString(waitMs));
                    if (w instanceof Long replicas && replicas >= 1) {
                        acked.add(n);
                        synchronized (ackTimes) {
                            ackTimes.add(new long[] {System.nanoTime(), n});
                        }
                    } else {
                        failed.incrementAndGet();
                    }
                    pause(pauseMs);
                }
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                pause(20);
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long ackedCount() {
        return acked.size();
    }

    public long failedCount() {
        return failed.get();
    }

    /** nanoTime of the first acknowledgement at or after {@code sinceNanos}, or -1. */
    public long firstAckAfter(long sinceNanos) {
        synchronized (ackTimes) {
            for (long[] a : ackTimes) {
                if (a[0] >= sinceNanos) {
                    return a[0];
                }
            }
        }
        return -1;
    }

    /** Acknowledged counters missing on the Redis at host:port (read through GET). */
    public List<Long> missingOn(String redisHost, int redisPort) {
        List<Long> missing = new ArrayList<>();
        try (RespClient c = new RespClient(redisHost, redisPort, 5000)) {
            for (Long n : acked) {
                Object v = c.call("GET", "k:" + n);
                if (!Long.toString(n).equals(v)) {
                    missing.add(n);
                }
            }
        }
        return missing;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
