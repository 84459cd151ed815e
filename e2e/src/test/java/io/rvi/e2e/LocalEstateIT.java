package io.rvi.e2e;

import static io.rvi.e2e.EstateFixture.await;
import static io.rvi.e2e.EstateFixture.service;
import static io.rvi.e2e.EstateFixture.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The README's estate, three hosts on 127.0.0.1/.2/.3: what it shows, and how it survives kills. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalEstateIT {
    static Estate estate;

    @BeforeAll
    static void start() throws Exception {
        estate = EstateFixture.start("estate", List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
    }

    @AfterAll
    static void stop() {
        if (estate != null) {
            estate.close();
        }
    }

    @Test
    @Order(1)
    void everyAgentSeesItsRedisAndSentinelHealthyWithTheRightRoles() throws Exception {
        for (int i = 0; i < 3; i++) {
            int host = i;
            String role = i == 0 ? "master" : "slave";
            await("host" + (host + 1) + " redis healthy as " + role + " and sentinel healthy", Duration.ofSeconds(30), () -> {
                JsonNode st = status(estate, host);
                JsonNode redis = service(st, "redis");
                JsonNode sentinel = service(st, "sentinel");
                return redis != null && "running".equals(redis.path("process").asText()) && "healthy".equals(redis.path("health").asText())
                        && role.equals(redis.path("role").asText())
                        && sentinel != null && "healthy".equals(sentinel.path("health").asText())
                        && "sentinel".equals(sentinel.path("role").asText());
            });
        }
    }

    @Test
    @Order(2)
    void replicationAndSentinelSeeEachHostUnderItsOwnAddress() throws Exception {
        Estate.Host master = estate.host(0);
        await("the master lists both replicas by their own addresses", Duration.ofSeconds(30), () -> {
            try (RespClient c = new RespClient(master.address, master.redisPort)) {
                String info = c.info("replication");
                return info.contains("role:master") && info.contains("connected_slaves:2")
                        && info.contains("ip=" + estate.host(1).address + ",port=" + estate.host(1).redisPort)
                        && info.contains("ip=" + estate.host(2).address + ",port=" + estate.host(2).redisPort);
            }
        });
        for (Estate.Host h : estate.hosts()) {
            await(h.agentId() + "'s sentinel names host1 as master, with 2 replicas and 2 other sentinels", Duration.ofSeconds(30), () -> {
                try (RespClient c = new RespClient(h.address, h.sentinelPort)) {
                    Object addr = c.call("SENTINEL", "get-master-addr-by-name", "mymaster");
                    String master0 = String.valueOf(((List<?>) addr).get(0)) + ":" + ((List<?>) addr).get(1);
                    List<?> m = (List<?>) c.call("SENTINEL", "master", "mymaster");
                    return master0.equals(master.address + ":" + master.redisPort)
                            && "2".equals(String.valueOf(m.get(m.indexOf("num-slaves") + 1)))
                            && "2".equals(String.valueOf(m.get(m.indexOf("num-other-sentinels") + 1)));
                }
            });
        }
    }

    @Test
    @Order(2)
    void theCoordinatorShowsTheWholeFleet() throws Exception {
        await("coordinator fleet lists 3 fresh agents with 2 services each", Duration.ofSeconds(30), () -> {
            JsonNode fleet = EstateFixture.json(estate.getFromCoordinator("/v1/fleet"));
            Set<String> ids = new HashSet<>();
            for (JsonNode a : fleet.path("agents")) {
                if (!a.path("stale").asBoolean(true) && a.path("services").size() == 2) {
                    ids.add(a.path("agent_id").asText());
                }
            }
            return ids.equals(Set.of("host1", "host2", "host3"));
        });
    }

    @Test
    @Order(3)
    void aKilledRedisIsRestartedAndCounted() throws Exception {
        long before = service(status(estate, 2), "redis").path("pid").asLong();
        assertTrue(before > 0);
        ProcessHandle.of(before).orElseThrow().destroyForcibly();
        await("redis on host3 restarted with a new PID and healthy", Duration.ofSeconds(30), () -> {
            JsonNode redis = service(status(estate, 2), "redis");
            return redis.path("pid").asLong() != before && redis.path("pid").asLong() > 0 && "healthy".equals(redis.path("health").asText());
        });
        String metrics = estate.getFromAgent(2, "/metrics").body();
        assertTrue(metrics.contains("rvi_process_restarts_total{service=\"redis\"} 1.0")
                || metrics.matches("(?s).*rvi_process_restarts_total\\{service=\"redis\"\\} [1-9].*"), "restart counted:\n" + grep(metrics, "rvi_process_restarts"));
    }

    @Test
    @Order(4)
    void aRestartedAgentAdoptsItsRunningServicesWithoutDuplicates() throws Exception {
        JsonNode st = status(estate, 1);
        long redisPid = service(st, "redis").path("pid").asLong();
        long sentinelPid = service(st, "sentinel").path("pid").asLong();
        estate.killAgent(1);
        assertTrue(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false), "redis survives the agent's kill -9");
        assertTrue(ProcessHandle.of(sentinelPid).map(ProcessHandle::isAlive).orElse(false), "sentinel survives the agent's kill -9");
        estate.startAgent(1);
        estate.awaitAgentReady(1, Duration.ofSeconds(60));
        await("host2 agent adopted redis and sentinel (same PIDs), healthy", Duration.ofSeconds(30), () -> {
            JsonNode s = status(estate, 1);
            return service(s, "redis").path("pid").asLong() == redisPid && service(s, "sentinel").path("pid").asLong() == sentinelPid
                    && "healthy".equals(service(s, "redis").path("health").asText());
        });
        Estate.Host h = estate.host(1);
        assertEquals(1, Procs.redisServersOn(h.address, h.redisPort), "exactly one redis-server on the port");
        assertEquals(1, Procs.matching(h.address + ":" + h.sentinelPort).size(), "exactly one sentinel on the port");
        assertNotEquals(0, redisPid);
    }

    @Test
    @Order(5)
    void noLogOfTheRunHoldsAToken() throws Exception {
        List<String> secrets = new java.util.ArrayList<>();
        for (String f : List.of("agent.token", "operator.token", "agent-api.token")) {
            secrets.add(java.nio.file.Files.readString(estate.dir().resolve(f)).strip());
        }
        // make sure the logs saw authenticated traffic: the operator's fleet request and agents' heartbeats
        estate.getFromCoordinator("/v1/fleet");
        int files = 0;
        try (var walk = java.nio.file.Files.walk(estate.dir())) {
            for (java.nio.file.Path p : walk.filter(x -> x.toString().endsWith(".out") || x.toString().endsWith(".log")).toList()) {
                String text = java.nio.file.Files.readString(p);
                files++;
                for (String secret : secrets) {
                    assertTrue(!text.contains(secret), p + " contains a token");
                }
            }
        }
        assertTrue(files >= 7, "scanned the agents', coordinator's and services' logs, found " + files);
    }

    static String grep(String text, String word) {
        return String.join("\n", text.lines().filter(l -> l.contains(word)).toList());
    }
}
