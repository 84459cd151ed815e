package io.rvi.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Footprint of rvi-agent against a bare Vert.x app with the same libraries and the same JVM flags,
 * measured in the same run: start-to-ready time (median of several starts), RSS after 60 s while
 * scraped once a second (the agent supervising redis-server + redis-sentinel), and /metrics scrape
 * latency (the 60 one-per-second scrapes, then 300 back to back).
 */
public final class Footprint {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        Path agentJar = Path.of(args[0]);
        Path bareJar = Path.of(args[1]);
        List<String> jvmFlags = Files.readAllLines(Path.of(args[2])).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int starts = 5;
        Path dir = Files.createTempDirectory("rvi-footprint");
        int redisPort = freePort(), sentinelPort = freePort(), agentPort = freePort(), barePort = freePort();
        Path config = writeAgentConfig(dir, redisPort, sentinelPort, agentPort);
        List<String> agentArgs = List.of("-jar", agentJar.toString(), "run", "--config", config.toString());
        List<String> bareArgs = List.of("-cp", bareJar + ":" + agentJar, "io.rvi.bench.BareVertx", String.valueOf(barePort),
                String.valueOf(redisPort));

        // AppCDS archives, made by one training run each (what the package does at install time)
        Path agentJsa = train("rvi-agent", jvmFlags, agentArgs, agentPort, dir.resolve("agent.jsa"), dir.resolve("train-agent.out"));
        Path bareJsa = train("bare Vert.x", jvmFlags, bareArgs, barePort, dir.resolve("bare.jsa"), dir.resolve("train-bare.out"));

        Result agent = measure("rvi-agent", cmd(jvmFlags, null, agentArgs), agentPort, starts, seconds, dir.resolve("agent.out"));
        Result agentCds = measure("rvi-agent+AppCDS", cmd(jvmFlags, agentJsa, agentArgs), agentPort, starts, seconds, dir.resolve("agent.out"));
        Result bare = measure("bare Vert.x", cmd(jvmFlags, null, bareArgs), barePort, starts, seconds, dir.resolve("bare.out"));
        Result bareCds = measure("bare Vert.x+AppCDS", cmd(jvmFlags, bareJsa, bareArgs), barePort, starts, seconds, dir.resolve("bare.out"));

        System.out.printf(Locale.ROOT, "machine: %d cores, %s, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.println("jvm flags: " + String.join(" ", jvmFlags) + " (+ -XX:SharedArchiveFile for the AppCDS rows)");
        System.out.printf(Locale.ROOT, "%-20s %8s %9s %10s %10s%n", "", "rss_mib", "ready_ms", "scrape_p50", "scrape_p99");
        for (Object[] row : new Object[][] {{"rvi-agent", agent}, {"rvi-agent+AppCDS", agentCds}, {"bare Vert.x", bare},
                {"bare Vert.x+AppCDS", bareCds}}) {
            Result r = (Result) row[1];
            System.out.printf(Locale.ROOT, "%-20s %8.1f %9d %10.2f %10.2f%n", row[0], r.rssMib, r.readyMs, r.scrapeMedian, r.scrapeP99);
        }
        System.out.printf(Locale.ROOT,
                "{\"rss_mib\":%.1f,\"ready_ms\":%d,\"scrape_median_ms\":%.2f,\"scrape_p99_ms\":%.2f,"
                        + "\"scrape_1s_median_ms\":%.2f,\"rss_mib_no_cds\":%.1f,\"ready_ms_no_cds\":%d,"
                        + "\"anchor_rss_mib\":%.1f,\"anchor_ready_ms\":%d,\"anchor_rss_mib_no_cds\":%.1f,\"anchor_ready_ms_no_cds\":%d,"
                        + "\"rss_ratio_to_anchor\":%.2f,\"ready_ratio_to_anchor\":%.2f,\"seconds\":%d,\"starts\":%d}%n",
                agentCds.rssMib, agentCds.readyMs, agentCds.scrapeMedian, agentCds.scrapeP99, agentCds.scrape1sMedian,
                agent.rssMib, agent.readyMs, bareCds.rssMib, bareCds.readyMs, bare.rssMib, bare.readyMs,
                agentCds.rssMib / bareCds.rssMib, (double) agentCds.readyMs / bareCds.readyMs, seconds, starts);
    }

    /** Runs the program once with -XX:ArchiveClassesAtExit, exercising /metrics and /status, and stops it. */
    static Path train(String name, List<String> flags, List<String> args, int port, Path jsa, Path out) throws Exception {
        List<String> c = cmd(flags, null, args);
        c.add(1, "-XX:ArchiveClassesAtExit=" + jsa);
        Process p = start(c, out);
        awaitOk("http://127.0.0.1:" + port + "/health/ready", p, out);
        for (int i = 0; i < 5; i++) {
            scrape("http://127.0.0.1:" + port + "/metrics");
            Thread.sleep(1000);
        }
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status")).build(), HttpResponse.BodyHandlers.discarding());
        stop(p);
        if (!Files.isRegularFile(jsa)) {
            throw new IOException(name + ": no AppCDS archive written; see " + out);
        }
        System.err.printf("%s: AppCDS archive %s (%d MiB)%n", name, jsa, Files.size(jsa) >> 20);
        return jsa;
    }

    record Result(double rssMib, long readyMs, double scrapeMedian, double scrapeP99, double scrape1sMedian) {}

    static Result measure(String name, List<String> cmd, int port, int starts, int seconds, Path out) throws Exception {
        String ready = "http://127.0.0.1:" + port + "/health/ready";
        String metrics = "http://127.0.0.1:" + port + "/metrics";
        List<Long> readies = new ArrayList<>();
        Process p = null;
        for (int i = 0; i < starts; i++) {
            long t0 = System.nanoTime();
            p = start(cmd, out);
            awaitOk(ready, p, out);
            readies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            if (i < starts - 1) {
                stop(p);
            }
        }
        Collections.sort(readies);
        System.err.printf("%s: ready times %s ms; now %d s scraped once a second%n", name, readies, seconds);
        List<Double> oneHz = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            long next = System.nanoTime() + 1_000_000_000L;
            oneHz.add(scrape(metrics));
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
        }
        double rss = rssMib(p.pid());
        List<Double> burst = new ArrayList<>(oneHz);
        for (int i = 0; i < 300; i++) {
            burst.add(scrape(metrics));
        }
        stop(p);
        Collections.sort(oneHz);
        Collections.sort(burst);
        System.err.printf(Locale.ROOT, "%s: rss %.1f MiB, scrape median %.2f ms p99 %.2f ms%n", name, rss,
                pct(burst, 50), pct(burst, 99));
        return new Result(rss, readies.get(readies.size() / 2), pct(burst, 50), pct(burst, 99), pct(oneHz, 50));
    }

    /** Starts with the environment the systemd unit sets (MALLOC_ARENA_MAX=2: fewer glibc arenas). */
    static Process start(List<String> cmd, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        return pb.start();
    }

    static double scrape(String url) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 || r.body().length == 0) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static void awaitOk(String url, Process p, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(url + ": process exited " + p.exitValue() + "; see " + out);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(2);
        }
        throw new IOException(url + " not ready in 60 s; see " + out);
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    static double rssMib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    static List<String> cmd(List<String> flags, Path jsa, List<String> rest) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(flags);
        if (jsa != null) {
            c.add("-XX:SharedArchiveFile=" + jsa);
        }
        c.addAll(rest);
        return c;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static Path writeAgentConfig(Path dir, int redisPort, int sentinelPort, int agentPort) throws IOException {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        Path sentinelDir = Files.createDirectories(dir.resolve("sentinel"));
        Files.writeString(dir.resolve("redis.conf"), "save \"\"\nappendonly no\ndir " + redisDir + "\n");
        Files.writeString(sentinelDir.resolve("sentinel.conf"), "dir " + sentinelDir + "\nsentinel monitor m 127.0.0.1 " + redisPort
                + " 1\nsentinel down-after-milliseconds m 5000\n");
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
                agent:
                  id: bench
                  state_dir: %s
                  log_dir: %s
                http:
                  port: %d
                supervision:
                  stop_services_on_exit: true
                metrics:
                  host_interval: 5s
                  disk_paths: [%s]
                services:
                  redis:
                    address: 127.0.0.1:%d
                    supervise:
                      args: [%s]
                  sentinel:
                    address: 127.0.0.1:%d
                    supervise:
                      args: [%s]
                """.formatted(dir.resolve("state"), dir.resolve("log"), agentPort, dir, redisPort, dir.resolve("redis.conf"),
                sentinelPort, sentinelDir.resolve("sentinel.conf")));
        return config;
    }
}
