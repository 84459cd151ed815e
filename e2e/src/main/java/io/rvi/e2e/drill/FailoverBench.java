package io.rvi.e2e.drill;

import io.rvi.e2e.Estate;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * bench/run failover: the same failover drill, N times each, on (a) the usual set-up — HAProxy
 * {@code tcp-check role:master}, Redis restarted after 3 s — and (b) rvi. Prints per-failover lines
 * and one JSON object last.
 * Arguments: agent jar, coordinator jar, agent JVM options file, work dir, failovers per mode.
 */
public final class FailoverBench {
    record ModeResult(List<Double> switchMs, double failedPerFailover, long ackedLost, long acked, int failovers) {}

    public static void main(String[] args) throws Exception {
        Path agentJar = Path.of(args[0]);
        Path coordinatorJar = Path.of(args[1]);
        Path jvm = Path.of(args[2]);
        Path work = Files.createDirectories(Path.of(args[3]));
        int n = Integer.parseInt(args[4]);
        ModeResult plain = run("haproxy", true, agentJar, coordinatorJar, jvm, work.resolve("plain"), n);
        ModeResult rvi = run("rvi", false, agentJar, coordinatorJar, jvm, work.resolve("rvi"), n);
        System.out.printf(Locale.ROOT, "machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT,
                "{\"failovers\":%d,\"rvi_switch_median_ms\":%.1f,\"rvi_switch_p95_ms\":%.1f,\"haproxy_switch_median_ms\":%.1f,"
                        + "\"haproxy_switch_p95_ms\":%.1f,\"rvi_failed_writes_per_failover\":%.1f,\"haproxy_failed_writes_per_failover\":%.1f,"
                        + "\"rvi_acked_writes_lost\":%d,\"haproxy_acked_writes_lost\":%d,\"rvi_acked_writes\":%d,\"haproxy_acked_writes\":%d}%n",
                Math.min(rvi.failovers, plain.failovers), pct(rvi.switchMs, 50), pct(rvi.switchMs, 95), pct(plain.switchMs, 50),
                pct(plain.switchMs, 95), rvi.failedPerFailover, plain.failedPerFailover, rvi.ackedLost, plain.ackedLost, rvi.acked, plain.acked);
    }

    static ModeResult run(String name, boolean plain, Path agentJar, Path coordinatorJar, Path jvm, Path dir, int n) throws Exception {
        Estate.Options o = new Estate.Options(dir, List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"), agentJar, coordinatorJar, jvm,
                freePort(), null, true, "mymaster", new int[] {freePort(), freePort()}, plain);
        try (Estate estate = Estate.start(o)) {
            List<String> sentinels = new ArrayList<>();
            estate.hosts().forEach(h -> sentinels.add(h.address + ":" + h.sentinelPort));
            String[] lb = estate.haproxyWriteAddress().split(":");
            try (SwitchWatch watch = new SwitchWatch(sentinels); WriteLoad load = new WriteLoad(lb[0], Integer.parseInt(lb[1]), 200, 2)) {
                FailoverDrill drill = new FailoverDrill(estate, load, watch, "mymaster");
                if (!drill.awaitSentinelsKnowTheTopology(Duration.ofSeconds(60))) {
                    throw new IllegalStateException(name + ": the Sentinels did not discover the whole estate in 60 s");
                }
                awaitAcked(load, 200, Duration.ofSeconds(60));
                List<Double> switchMs = new ArrayList<>();
                long failed = 0;
                int done = 0;
                for (int i = 1; i <= n; i++) {
                    FailoverDrill.Outcome r = drill.failOnce(Duration.ofSeconds(40));
                    System.err.printf(Locale.ROOT, "%s failover %d: %s -> %s, +switch-master -> first write %.1f ms, %d failed writes, old master replica: %s%n",
                            name, i, r.from(), r.to(), r.switchToWriteMs(), r.failedWrites(), r.oldMasterIsReplica());
                    if (r.to() == null) {
                        break;
                    }
                    done++;
                    if (!Double.isNaN(r.switchToWriteMs())) {
                        switchMs.add(Math.max(0, r.switchToWriteMs()));
                    }
                    failed += r.failedWrites();
                    awaitAcked(load, load.ackedCount() + 100, Duration.ofSeconds(30));
                }
                load.close();
                String last = drill.quorumMaster();
                String[] m = last.split(":");
                long lost = load.missingOn(m[0], Integer.parseInt(m[1])).size();
                System.err.printf("%s: %d acknowledged writes, %d lost, %d failed%n", name, load.ackedCount(), lost, load.failedCount());
                Collections.sort(switchMs);
                return new ModeResult(switchMs, done == 0 ? 0 : (double) failed / done, lost, load.ackedCount(), done);
            }
        }
    }

    static void awaitAcked(WriteLoad load, long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (load.ackedCount() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
