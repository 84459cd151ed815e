package io.rvi.e2e;

import static io.rvi.e2e.EstateFixture.await;
import static io.rvi.e2e.EstateFixture.service;
import static io.rvi.e2e.EstateFixture.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SIGHUP: a changed interval is applied without restarting Redis; a broken file is rejected and the agent runs on. */
class AgentReloadIT {
    static Estate estate;

    @BeforeAll
    static void start() throws Exception {
        estate = EstateFixture.start("reload", List.of("127.0.0.1"));
        await("redis healthy", Duration.ofSeconds(30), () -> "healthy".equals(service(status(estate, 0), "redis").path("health").asText()));
    }

    @AfterAll
    static void stop() {
        if (estate != null) {
            estate.close();
        }
    }

    @Test
    void reloadAppliesAChangedIntervalKeepsRedisAndRejectsABrokenFile() throws Exception {
        Path config = estate.host(0).config();
        long redisPid = service(status(estate, 0), "redis").path("pid").asLong();
        String original = Files.readString(config);

        // 1. a changed probe interval and heartbeat interval: applied, same PID
        Files.writeString(config, original.replace("interval: 500ms", "interval: 2s").replace("heartbeat_interval: 2s", "heartbeat_interval: 3s"));
        hup();
        await("reload applied", Duration.ofSeconds(20), () -> metric("rvi_config_reloads_total{outcome=\"applied\"}") >= 1);
        assertEquals(redisPid, service(status(estate, 0), "redis").path("pid").asLong(), "redis not restarted by a reload that did not change it");
        assertTrue(log().contains("config: reloaded"), "log says reloaded");

        // 2. a broken file: rejected, running config kept, same PID
        Files.writeString(config, original.replace("port: " + estate.host(0).agentPort, "port: 99999") + "\nbogus_key: 1\n");
        hup();
        await("reload rejected", Duration.ofSeconds(20), () -> metric("rvi_config_reloads_total{outcome=\"rejected\"}") >= 1);
        String log = log();
        assertTrue(log.contains("http.port: got \"99999\""), "the rejection names the key and value:\n" + log);
        assertTrue(log.contains("bogus_key: unknown key"), "every problem is reported:\n" + log);
        assertEquals(200, estate.getFromAgent(0, "/health/ready").statusCode(), "still serving on the old port");
        assertEquals(redisPid, service(status(estate, 0), "redis").path("pid").asLong());
        assertTrue(estate.host(0).agentProcess().isAlive());
    }

    private void hup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(estate.host(0).agentProcess().pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private double metric(String series) throws Exception {
        for (String l : estate.getFromAgent(0, "/metrics").body().lines().toList()) {
            if (l.startsWith(series + " ")) {
                return Double.parseDouble(l.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private String log() throws Exception {
        return Files.readString(estate.host(0).dir.resolve("agent.out"));
    }
}
