package io.rvi.e2e.drill;

import io.rvi.e2e.Estate;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RespClient;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One failover of an estate under write load: kill -9 the master, wait for Sentinel to switch, for
 * writes to succeed again through the load balancer, and for the old master to be back as a replica.
 */
public final class FailoverDrill {
    /** What one failover looked like. Times are nanoTime; -1 when it did not happen in time. */
    public record Outcome(String from, String to, long killedAt, long switchedAt, long firstWriteAt, long failedWrites,
                          boolean oldMasterIsReplica) {
        public double switchToWriteMs() {
            return switchedAt < 0 || firstWriteAt < 0 ? Double.NaN : (firstWriteAt - switchedAt) / 1e6;
        }
    }

    private final Estate estate;
    private final WriteLoad load;
    private final SwitchWatch watch;
    private final String masterName;

    public FailoverDrill(Estate estate, WriteLoad load, SwitchWatch watch, String masterName) {
        this.estate = estate;
        this.load = load;
        this.watch = watch;
        this.masterName = masterName;
    }

    /** The master a majority of the estate's Sentinels name, or null. */
    public String quorumMaster() {
        Map<String, Integer> votes = new HashMap<>();
        for (Estate.Host h : estate.hosts()) {
            try (RespClient c = new RespClient(h.address, h.sentinelPort, 1000)) {
                if (c.call("SENTINEL", "get-master-addr-by-name", masterName) instanceof List<?> l && l.size() == 2) {
                    votes.merge(l.get(0) + ":" + l.get(1), 1, Integer::sum);
                }
            } catch (RuntimeException e) {
                // unreachable: no vote
            }
        }
        return votes.entrySet().stream().filter(e -> e.getValue() > estate.hosts().size() / 2).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /**
     * Waits until every Sentinel names the same master and has discovered all the other hosts'
     * replicas and Sentinels (it learns replicas from the master's INFO every 10 s): a failover started
     * before that ends in {@code -failover-abort-no-good-slave}.
     */
    public boolean awaitSentinelsKnowTheTopology(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (sentinelsKnowTheTopology()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private boolean sentinelsKnowTheTopology() {
        String others = String.valueOf(estate.hosts().size() - 1);
        for (Estate.Host h : estate.hosts()) {
            try (RespClient c = new RespClient(h.address, h.sentinelPort, 1000)) {
                if (!(c.call("SENTINEL", "master", masterName) instanceof List<?> m)
                        || !others.equals(String.valueOf(m.get(m.indexOf("num-slaves") + 1)))
                        || !others.equals(String.valueOf(m.get(m.indexOf("num-other-sentinels") + 1)))) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    public Outcome failOnce(Duration timeout) throws InterruptedException, IOException {
        String from = waitFor(timeout, this::quorumMaster);
        if (from == null) {
            throw new IOException("no quorum master before the failover");
        }
        long failedBefore = load.failedCount();
        long pid = redisPid(from);
        long killedAt = System.nanoTime();
        Procs.kill9(pid);
        String to = waitFor(timeout, () -> {
            String m = quorumMaster();
            return m != null && !m.equals(from) ? m : null;
        });
        long switchedAt = to == null ? -1 : waitForLong(timeout, () -> watch.takeSwitchTo(to));
        long firstWrite = switchedAt < 0 ? -1 : waitForLong(timeout, () -> load.firstAckAfter(switchedAt));
        boolean replica = to != null && waitFor(timeout.multipliedBy(3), () -> isReplicaOf(from, to) ? Boolean.TRUE : null) != null;
        return new Outcome(from, to, killedAt, switchedAt, firstWrite, load.failedCount() - failedBefore, replica);
    }

    /** Whether the Redis at {@code addr} answers as a replica of {@code master} with its link up. */
    public static boolean isReplicaOf(String addr, String master) {
        int i = addr.lastIndexOf(':');
        try (RespClient c = new RespClient(addr.substring(0, i), Integer.parseInt(addr.substring(i + 1)), 500)) {
            String info = c.info("replication");
            int j = master.lastIndexOf(':');
            return info.contains("role:slave") && info.contains("master_host:" + master.substring(0, j))
                    && info.contains("master_port:" + master.substring(j + 1)) && info.contains("master_link_status:up");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long redisPid(String addr) throws IOException {
        return Procs.matching(addr).stream().filter(p -> !Procs.commandLine(p.pid()).contains("sentinel")).mapToLong(ProcessHandle::pid)
                .findFirst().orElseThrow(() -> new IOException("no redis-server process serving " + addr));
    }

    private static <T> T waitFor(Duration timeout, java.util.function.Supplier<T> f) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T v = f.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(5);
        }
        return null;
    }

    private static long waitForLong(Duration timeout, java.util.function.LongSupplier f) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long v = f.getAsLong();
            if (v >= 0) {
                return v;
            }
            Thread.sleep(2);
        }
        return -1;
    }
}
