package io.rvi.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a local estate until Ctrl-C, printing the URLs an operator needs. */
@Command(name = "rvi-estate", mixinStandardHelpOptions = true,
        description = "Run a local rvi estate on loopback: coordinator + one agent per host (redis + sentinel each).")
public final class EstateMain implements Callable<Integer> {
    @Option(names = "--dir", description = "Where configs, data and logs go (wiped at start). Default: ${DEFAULT-VALUE}")
    Path dir = Path.of(".estate");

    @Option(names = "--hosts", split = ",", description = "Loopback addresses, one per host. Default: ${DEFAULT-VALUE}")
    List<String> hosts = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

    @Option(names = "--redis-port", description = "Redis port on every host. Default: ${DEFAULT-VALUE}")
    int redisPort = 6379;

    @Option(names = "--sentinel-port", description = "Sentinel port on every host. Default: ${DEFAULT-VALUE}")
    int sentinelPort = 26379;

    @Option(names = "--agent-port", description = "Agent HTTP port on every host. Default: ${DEFAULT-VALUE}")
    int agentPort = 9650;

    @Option(names = "--coordinator-port", description = "Coordinator port on 127.0.0.1. Default: ${DEFAULT-VALUE}")
    int coordinatorPort = 9600;

    @Option(names = "--haproxy-ports", split = ",", description = "HAProxy write,read frontend ports on 127.0.0.1 (0 = no HAProxy). Default: ${DEFAULT-VALUE}")
    int[] haproxyPorts = {6380, 6381};

    @Option(names = "--agent-jar", required = true)
    Path agentJar;

    @Option(names = "--coordinator-jar", required = true)
    Path coordinatorJar;

    @Option(names = "--agent-jvm-options", description = "JVM options file (the one the systemd unit uses)")
    Path agentJvmOptions;

    @Override
    public Integer call() throws Exception {
        deleteTree(dir);
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            ports.add(new int[] {redisPort, sentinelPort, agentPort});
        }
        Estate.Options o = new Estate.Options(dir.toAbsolutePath(), hosts, agentJar, coordinatorJar, agentJvmOptions,
                coordinatorPort, ports, true, "mymaster",
                haproxyPorts.length == 2 && haproxyPorts[0] > 0 && java.nio.file.Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? haproxyPorts : null);
        System.out.println("starting the estate in " + dir.toAbsolutePath() + " ...");
        Estate estate = Estate.start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping the estate ...");
            estate.close();
            System.out.println("stopped.");
            stopped.countDown();
        }));
        System.out.println();
        System.out.println("rvi estate is up (" + hosts.size() + " hosts). Ctrl-C stops it.");
        System.out.println("  coordinator API : " + estate.coordinatorUrl() + "/v1/fleet   (token: " + dir.resolve("operator.token") + ")");
        System.out.println("    curl -H \"Authorization: Bearer $(cat " + dir.resolve("operator.token") + ")\" " + estate.coordinatorUrl() + "/v1/fleet");
        System.out.println("  coordinator metrics: " + estate.coordinatorUrl() + "/metrics");
        for (Estate.Host h : estate.hosts()) {
            System.out.printf("  %s  agent %s/metrics  /status   redis %s:%d   sentinel %s:%d%n", h.agentId(), h.agentUrl(),
                    h.address, h.redisPort, h.address, h.sentinelPort);
        }
        if (estate.haproxyWriteAddress() != null) {
            System.out.println("  haproxy: writes " + estate.haproxyWriteAddress() + "  reads 127.0.0.1:" + haproxyPorts[1]
                    + "   (redis-cli -h 127.0.0.1 -p " + haproxyPorts[0] + ")");
        }
        System.out.println("  logs: " + dir.toAbsolutePath() + "/host*/agent.out, host*/log/*.log");
        stopped.await();
        return 0;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EstateMain()).execute(args));
    }
}
