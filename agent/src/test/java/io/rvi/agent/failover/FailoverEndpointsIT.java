package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.config.HostPort;
import io.rvi.testkit.Await;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /redis/master and /redis/replica against real redis servers, with a fake quorum; fencing a returning master. */
class FailoverEndpointsIT {
    private RedisHarness redis;
    private FailoverRig rig;
    private RedisProcess master;
    private RedisProcess replica;

    static HostPort hp(RedisProcess p) {
        return new HostPort(p.host(), p.port());
    }

    @BeforeEach
    void start() {
        redis = new RedisHarness();
        master = redis.redis("127.0.0.1", "--repl-diskless-sync-delay", "0");
        replica = redis.redis("127.0.0.2", "--replicaof", master.host(), String.valueOf(master.port()));
        Await.until("replica linked", Duration.ofSeconds(10), () -> info(replica).contains("master_link_status:up"));
    }

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static String info(RedisProcess p) {
        try (var c = p.client()) {
            return String.valueOf(c.call("INFO", "replication"));
        }
    }

    FailoverRig rig(RedisProcess local) throws Exception {
        rig = new FailoverRig().start(FailoverRig.config(hp(local), null, AgentConfig.Hooks.NONE, List.of()));
        return rig;
    }

    @Test
    void masterTheQuorumAgreesWithIs200() throws Exception {
        rig(master).quorum.set(Optional.of(hp(master)));
        HttpResponse<String> r = rig.get("/redis/master");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(true, body.getBoolean("primary"));
        assertEquals("master", body.getString("role"));
        assertEquals(hp(master).toString(), body.getString("quorum_master"));
        assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""));
    }

    @Test
    void noQuorumOrUnreachableSentinelsIs503() throws Exception {
        rig(master).quorum.set(Optional.empty());
        HttpResponse<String> r = rig.get("/redis/master");
        assertEquals(503, r.statusCode());
        assertTrue(new JsonObject(r.body()).getString("reason").contains("no sentinel quorum"), r.body());
        rig.quorum.set(null);
        r = rig.get("/redis/master");
        assertEquals(503, r.statusCode());
        assertTrue(new JsonObject(r.body()).getString("reason").contains("sentinels unreachable"), r.body());
        assertTrue(rig.counter("rvi.failover.faults") >= 2, "faults counted");
    }

    @Test
    void replicaIsNotMaster() throws Exception {
        rig(replica).quorum.set(Optional.of(hp(master)));
        HttpResponse<String> r = rig.get("/redis/master");
        assertEquals(503, r.statusCode());
        assertEquals("replica", new JsonObject(r.body()).getString("role"));
    }

    @Test
    void returningOldMasterIsOutOfRotationAndFencedAtOnce() throws Exception {
        RedisProcess old = redis.redis("127.0.0.3"); // a restarted old master: standalone, claims master
        try (var c = old.client()) {
            c.call("SET", "stale", "1");
        }
        rig(old).quorum.set(Optional.of(hp(master)));
        HttpResponse<String> r = rig.get("/redis/master");
        assertEquals(503, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        // the role watch may have fenced it already before this first check: then it answers as a replica
        boolean fencedAlready = "replica".equals(body.getString("role"));
        assertTrue(fencedAlready || body.getString("reason").contains("quorum names " + hp(master)) && body.getBoolean("split_brain"),
                r.body());
        Await.until("old master is a replica of " + master, Duration.ofSeconds(5), () -> {
            String i = info(old);
            return i.contains("role:slave") && i.contains("master_host:127.0.0.1") && i.contains("master_port:" + master.port());
        }, () -> info(old));
        Await.until("fenced counted", Duration.ofSeconds(3), () -> rig.counter("rvi.redis.fenced") == 1.0);
        Await.until("split brain over", Duration.ofSeconds(3), () -> rig.gauge("rvi.redis.split.brain") == 0.0);
        assertEquals(503, rig.get("/redis/master").statusCode());
    }

    @Test
    void healthyReplicaIs200() throws Exception {
        rig(replica).quorum.set(Optional.of(hp(master)));
        try (var c = master.client()) {
            c.call("SET", "k", "v");
        }
        Await.until("replica healthy", Duration.ofSeconds(5), () -> {
            try {
                return rig.get("/redis/replica").statusCode() == 200;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        JsonObject body = new JsonObject(rig.get("/redis/replica").body());
        assertEquals(true, body.getBoolean("healthy"));
        assertEquals(1024 * 1024L, body.getLong("max_lag_bytes"));
        assertEquals(400, rig.get("/redis/replica?max_lag_bytes=lots").statusCode());
        // lag 0 holds only between the master's replication pings: wait for such a moment
        Await.until("replica with no lag at all", Duration.ofSeconds(5), () -> {
            try {
                return rig.get("/redis/replica?max_lag_bytes=0").statusCode() == 200;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void masterOrBrokenLinkIsNotAHealthyReplica() throws Exception {
        rig(master).quorum.set(Optional.of(hp(master)));
        HttpResponse<String> r = rig.get("/redis/replica");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("not a replica"), r.body());
        rig.close();
        rig = null;
        rig(replica);
        master.kill9();
        Await.until("link down seen", Duration.ofSeconds(10), () -> {
            try {
                HttpResponse<String> x = rig.get("/redis/replica");
                return x.statusCode() == 503 && x.body().contains("master link");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }
}
