package io.rvi.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local estate on loopback: one "host" per address (127.0.0.1, .2, .3), each with its own
 * rvi-agent process supervising a real redis-server and redis-sentinel, plus one rvi-coordinator.
 * The first host's Redis is the master, the others replicate it; every Sentinel monitors it.
 * Used by the README's first command ({@link EstateMain}) and by the e2e tests.
 */
public final class Estate implements AutoCloseable {
    /**
     * @param stopServicesOnExit whether a stopped agent also stops its Redis and Sentinel
     * @param ports              per host: redis, sentinel, agent HTTP; or null to pick free ports
     * @param haproxyPorts       write and read frontend ports of an HAProxy in front of the Redis servers
     *                           (checks asking the agents, runtime API driven by them); null for none
     * @param plain              the usual set-up rvi is measured against: HAProxy checks each Redis with
     *                           {@code tcp-check ... role:master}, agents only supervise (no failover
     *                           handling) and restart a crashed Redis after 3 s, like systemd would
     */
    public record Options(Path dir, List<String> hosts, Path agentJar, Path coordinatorJar, Path jvmOptions,
                          int coordinatorPort, List<int[]> ports, boolean stopServicesOnExit, String masterName,
                          int[] haproxyPorts, boolean plain) {
        public Options(Path dir, List<String> hosts, Path agentJar, Path coordinatorJar, Path jvmOptions, int coordinatorPort,
                       List<int[]> ports, boolean stopServicesOnExit, String masterName, int[] haproxyPorts) {
            this(dir, hosts, agentJar, coordinatorJar, jvmOptions, coordinatorPort, ports, stopServicesOnExit, masterName, haproxyPorts, false);
        }
    }

    /** One host of the estate: its address, ports and agent process. */
    public static final class Host {
        public final int index;
        public final String address;
        public final int redisPort;
        public final int sentinelPort;
        public final int agentPort;
        public final Path dir;
        Process agent;

        Host(int index, String address, int redisPort, int sentinelPort, int agentPort, Path dir) {
            this.index = index;
            this.address = address;
            this.redisPort = redisPort;
            this.sentinelPort = sentinelPort;
            this.agentPort = agentPort;
            this.dir = dir;
        }

        public String agentId() {
            return "host" + (index + 1);
        }

        public String agentUrl() {
            return "http://" + address + ":" + agentPort;
        }

        public Path config() {
            return dir.resolve("agent.yaml");
        }

        public Process agentProcess() {
            return agent;
        }
    }

    private final Options options;
    private final List<Host> hosts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String operatorToken;
    private Process coordinator;
    private Process haproxy;

    private Estate(Options options) {
        this.options = options;
        this.operatorToken = randomToken();
    }

    /** Writes every config under {@code options.dir()} and starts the coordinator and all agents. */
    public static Estate start(Options options) throws IOException, InterruptedException {
        Estate e = new Estate(options);
        try {
            e.writeConfigs();
            e.startCoordinator();
            e.startHaproxy();
            for (Host h : e.hosts) {
                e.startAgent(h.index);
            }
            for (Host h : e.hosts) {
                e.awaitReady(h.agentUrl() + "/health/ready", Duration.ofSeconds(60), h.agent, h.dir.resolve("agent.out"));
            }
            return e;
        } catch (IOException | InterruptedException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    public List<Host> hosts() {
        return hosts;
    }

    public Host host(int i) {
        return hosts.get(i);
    }

    public String coordinatorUrl() {
        return "http://127.0.0.1:" + options.coordinatorPort();
    }

    public String operatorToken() {
        return operatorToken;
    }

    public Path dir() {
        return options.dir();
    }

    public Process coordinatorProcess() {
        return coordinator;
    }

    /** The HAProxy write frontend (host:port), or null without HAProxy. */
    public String haproxyWriteAddress() {
        return options.haproxyPorts() == null ? null : "127.0.0.1:" + options.haproxyPorts()[0];
    }

    public Path haproxySocket() {
        return options.dir().resolve("haproxy/admin.sock");
    }

    // ---- process control (for tests) ----------------------------------------------------------

    public void startAgent(int i) throws IOException {
        Host h = hosts.get(i);
        h.agent = java(options.agentJar(), options.jvmOptions(), h.dir.resolve("agent.out"), "run", "--config", h.config().toString());
    }

    public void awaitAgentReady(int i, Duration timeout) throws IOException, InterruptedException {
        Host h = hosts.get(i);
        awaitReady(h.agentUrl() + "/health/ready", timeout, h.agent, h.dir.resolve("agent.out"));
    }

    /** SIGKILL: the agent gets no chance to stop anything. */
    public void killAgent(int i) throws InterruptedException {
        Process p = hosts.get(i).agent;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    public void stopAgent(int i) throws InterruptedException {
        stop(hosts.get(i).agent);
    }

    public void stopCoordinator() throws InterruptedException {
        stop(coordinator);
        coordinator = null;
    }

    public void startCoordinator() throws IOException, InterruptedException {
        Path dir = options.dir().resolve("coordinator");
        coordinator = java(options.coordinatorJar(), null, dir.resolve("coordinator.out"), "run", "--config",
                dir.resolve("coordinator.yaml").toString());
        awaitReady(coordinatorUrl() + "/health/ready", Duration.ofSeconds(60), coordinator, dir.resolve("coordinator.out"));
    }

    /** GET with the operator token; returns the body (throws on a status other than 200). */
    public String getFromCoordinator(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(coordinatorUrl() + path))
                .header("Authorization", "Bearer " + operatorToken).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** GET on an agent without a token (status, metrics, health). */
    public HttpResponse<String> getFromAgent(int i, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(hosts.get(i).agentUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            stop(haproxy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Host h : hosts) {
            try {
                stop(h.agent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            stop(coordinator);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!options.stopServicesOnExit()) {
            for (Host h : hosts) {
                EstateFiles.killFromPidfiles(h.dir.resolve("state/run"));
            }
        }
    }

    // ---- set-up -------------------------------------------------------------------------------

    private void writeConfigs() throws IOException {
        Path dir = options.dir();
        Files.createDirectories(dir);
        Path agentToken = secretFile(dir.resolve("agent.token"), randomToken());
        Path operatorTokenFile = secretFile(dir.resolve("operator.token"), operatorToken);
        Path apiToken = secretFile(dir.resolve("agent-api.token"), randomToken());
        Path coordDir = Files.createDirectories(dir.resolve("coordinator"));
        Files.writeString(coordDir.resolve("coordinator.yaml"), EstateFiles.coordinatorYaml(options.coordinatorPort(),
                operatorTokenFile, agentToken, coordDir.resolve("coordinator.db")));
        for (int i = 0; i < options.hosts().size(); i++) {
            String addr = options.hosts().get(i);
            int[] p = options.ports() == null ? new int[] {FreePort.on(addr), FreePort.on(addr), FreePort.on(addr)} : options.ports().get(i);
            Host h = new Host(i, addr, p[0], p[1], p[2], Files.createDirectories(dir.resolve("host" + (i + 1))));
            hosts.add(h);
        }
        Host master = hosts.get(0);
        for (Host h : hosts) {
            Path redisDir = Files.createDirectories(h.dir.resolve("redis"));
            Path sentinelDir = Files.createDirectories(h.dir.resolve("sentinel"));
            Files.writeString(h.dir.resolve("redis.conf"), EstateFiles.redisConf(redisDir, h, h == master ? null : master));
            Files.writeString(sentinelDir.resolve("sentinel.conf"), EstateFiles.sentinelConf(sentinelDir, options.masterName(), h, master));
            String yaml = EstateFiles.agentYaml(h, coordinatorUrl(), agentToken, apiToken, options.stopServicesOnExit());
            if (options.plain()) {
                yaml = yaml.replace("restart_backoff_initial: 200ms", "restart_backoff_initial: 3s");
            } else {
                yaml += EstateFiles.failoverYaml(options.masterName(), hosts)
                        + (options.haproxyPorts() == null ? "" : EstateFiles.haproxyAgentYaml(haproxySocket(), hosts));
            }
            Files.writeString(h.config(), yaml);
        }
        if (options.haproxyPorts() != null) {
            Files.createDirectories(haproxySocket().getParent());
            Files.writeString(haproxySocket().getParent().resolve("haproxy.cfg"),
                    options.plain() ? EstateFiles.plainHaproxyCfg(haproxySocket(), options.haproxyPorts(), hosts)
                            : EstateFiles.haproxyCfg(haproxySocket(), options.haproxyPorts(), hosts));
        }
    }

    private void startHaproxy() throws IOException, InterruptedException {
        if (options.haproxyPorts() == null) {
            return;
        }
        Path dir = options.dir().resolve("haproxy");
        Path out = dir.resolve("haproxy.out");
        haproxy = new ProcessBuilder("/usr/sbin/haproxy", "-f", dir.resolve("haproxy.cfg").toString(), "-db").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(haproxySocket())) {
            if (!haproxy.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("haproxy did not start; see " + out + ":\n" + EstateFiles.tail(out, 20));
            }
            Thread.sleep(20);
        }
    }

    private Process java(Path jar, Path jvmOptions, Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOptions != null) {
            cmd.add("@" + jvmOptions);
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        Files.createDirectories(out.getParent());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
    }

    private void awaitReady(String url, Duration timeout, Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new IOException(url + ": process exited with code " + p.exitValue() + "; see " + log + ":\n" + EstateFiles.tail(log, 30));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException(url + " not ready after " + timeout.toSeconds() + " s; see " + log + ":\n" + EstateFiles.tail(log, 30));
    }

    private static void stop(Process p) throws InterruptedException {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Path secretFile(Path p, String value) throws IOException {
        Files.writeString(p, value + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
