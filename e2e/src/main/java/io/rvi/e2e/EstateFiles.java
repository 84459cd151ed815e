package io.rvi.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files of a local estate: configs written from the hosts' addresses and ports, and log tails. */
final class EstateFiles {
    private static final Pattern PID = Pattern.compile("\"?pid\"?\\s*[:=]\\s*(\\d+)|^(\\d+)\\s*$", Pattern.MULTILINE);

    private EstateFiles() {}

    static String coordinatorYaml(int port, Path operatorToken, Path agentToken, Path db) {
        return """
                http:
                  bind: 127.0.0.1
                  port: %d
                auth:
                  operator_token_file: %s
                  agent_token_file: %s
                store:
                  path: %s
                """.formatted(port, operatorToken, agentToken, db);
    }

    /**
     * Every "host" shares the loopback interface, so a connection to 127.0.0.1 leaves from 127.0.0.1
     * whatever address the process listens on: without {@code bind-source-addr} and the announce
     * settings the master lists a replica under its own address and Sentinel turns the master into
     * a replica of itself.
     */
    static String redisConf(Path dir, Estate.Host self, Estate.Host master) {
        String conf = """
                protected-mode no
                dir %s
                save ""
                appendonly no
                repl-diskless-sync yes
                repl-diskless-sync-delay 0
                bind-source-addr %s
                replica-announce-ip %s
                min-replicas-to-write 1
                min-replicas-max-lag 10
                """.formatted(dir, self.address, self.address);
        if (master != null) {
            conf += "replicaof " + master.address + " " + master.redisPort + "\n";
        }
        return conf;
    }

    static String sentinelConf(Path dir, String masterName, Estate.Host self, Estate.Host master) {
        return """
                protected-mode no
                dir %s
                bind-source-addr %s
                sentinel announce-ip %s
                sentinel resolve-hostnames no
                sentinel monitor %s %s %d 2
                sentinel down-after-milliseconds %s 1000
                sentinel failover-timeout %s 5000
                sentinel parallel-syncs %s 1
                """.formatted(dir, self.address, self.address, masterName, master.address, master.redisPort, masterName, masterName, masterName);
    }

    static String agentYaml(Estate.Host h, String coordinatorUrl, Path agentToken, Path apiToken, boolean stopServicesOnExit) {
        return """
                agent:
                  id: %s
                  cluster: local
                  host: %s
                  state_dir: %s
                  log_dir: %s
                http:
                  bind: %s
                  port: %d
                  token_file: %s
                coordinator:
                  urls: [%s]
                  token_file: %s
                  heartbeat_interval: 2s
                supervision:
                  restart_backoff_initial: 200ms
                  restart_backoff_max: 5s
                  stop_services_on_exit: %s
                metrics:
                  disk_paths: [%s]
                services:
                  redis:
                    address: %s:%d
                    supervise:
                      args: [%s]
                      workdir: %s
                    probe:
                      interval: 500ms
                  sentinel:
                    address: %s:%d
                    supervise:
                      args: [%s]
                      workdir: %s
                    probe:
                      interval: 500ms
                """.formatted(h.agentId(), h.address, h.dir.resolve("state"), h.dir.resolve("log"), h.address, h.agentPort,
                apiToken, coordinatorUrl, agentToken, stopServicesOnExit, h.dir,
                h.address, h.redisPort, h.dir.resolve("redis.conf"), h.dir.resolve("redis"),
                h.address, h.sentinelPort, h.dir.resolve("sentinel/sentinel.conf"), h.dir.resolve("sentinel"));
    }

    static String failoverYaml(String masterName, List<Estate.Host> hosts) {
        StringBuilder b = new StringBuilder("failover:\n  master_name: ").append(masterName).append("\n  sentinels: [");
        for (int i = 0; i < hosts.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(hosts.get(i).address).append(':').append(hosts.get(i).sentinelPort);
        }
        return b.append("]\n  check_interval: 500ms\n").toString();
    }

    static String haproxyAgentYaml(Path socket, List<Estate.Host> hosts) {
        StringBuilder b = new StringBuilder("haproxy:\n  runtime_api: ").append(socket).append("\n  write_backend: redis_write\n")
                .append("  read_backend: redis_read\n  servers:\n");
        for (Estate.Host h : hosts) {
            b.append("    \"").append(h.address).append(':').append(h.redisPort).append("\": ").append(serverName(h)).append('\n');
        }
        return b.toString();
    }

    static String serverName(Estate.Host h) {
        return "redis" + (h.index + 1);
    }

    /** Global and defaults sections, and the write frontend on {@code writePort} up to its backend's name. */
    private static String haproxyHead(Path socket, int writePort) {
        return """
                global
                    maxconn 4096
                    stats socket %s mode 600 level admin
                    stats timeout 30s
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 1h
                    timeout server 1h
                    timeout check 500ms
                frontend redis_write
                    bind 127.0.0.1:%d
                    default_backend redis_write
                backend redis_write
                """.formatted(socket, writePort);
    }

    /** HAProxy in front of the estate's Redis servers, as config/haproxy.cfg but on the estate's ports. */
    static String haproxyCfg(Path socket, int[] ports, List<Estate.Host> hosts) {
        StringBuilder b = new StringBuilder(haproxyHead(socket, ports[0])).append("""
                    option httpchk
                    http-check send meth GET uri /redis/master ver HTTP/1.1 hdr Host rvi-agent
                    http-check expect status 200
                """);
        for (Estate.Host h : hosts) {
            b.append("    server ").append(serverName(h)).append(' ').append(h.address).append(':').append(h.redisPort)
                    .append(" check addr ").append(h.address).append(" port ").append(h.agentPort)
                    .append(" inter 1s fastinter 250ms downinter 1s fall 1 rise 1 on-marked-down shutdown-sessions\n");
        }
        b.append("""
                frontend redis_read
                    bind 127.0.0.1:%d
                    default_backend redis_read
                backend redis_read
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /redis/replica ver HTTP/1.1 hdr Host rvi-agent
                    http-check expect status 200
                """.formatted(ports[1]));
        for (Estate.Host h : hosts) {
            b.append("    server ").append(serverName(h)).append(' ').append(h.address).append(':').append(h.redisPort)
                    .append(" check addr ").append(h.address).append(" port ").append(h.agentPort)
                    .append(" inter 1s fall 2 rise 2 on-marked-down shutdown-sessions\n");
        }
        return b.toString();
    }

    /**
     * The usual HAProxy set-up for Redis behind Sentinel, which rvi is measured against: every server
     * checked for {@code role:master} itself (FIELD-NOTES: escape the space, send QUIT too).
     */
    static String plainHaproxyCfg(Path socket, int[] ports, List<Estate.Host> hosts) {
        StringBuilder b = new StringBuilder(haproxyHead(socket, ports[0])).append("""
                    option tcp-check
                    tcp-check send info\\ replication\\r\\n
                    tcp-check expect string role:master
                    tcp-check send QUIT\\r\\n
                    tcp-check expect string +OK
                """);
        for (Estate.Host h : hosts) {
            b.append("    server ").append(serverName(h)).append(' ').append(h.address).append(':').append(h.redisPort)
                    .append(" check inter 1s fall 1 rise 1 on-marked-down shutdown-sessions\n");
        }
        return b.toString();
    }

    /** SIGKILLs the processes named by the agent's pidfiles (tests that leave services running). */
    static void killFromPidfiles(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                Matcher m = PID.matcher(Files.readString(f));
                if (m.find()) {
                    long pid = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException e) {
            System.err.println("could not read pidfiles in " + runDir + ": " + e.getMessage());
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
