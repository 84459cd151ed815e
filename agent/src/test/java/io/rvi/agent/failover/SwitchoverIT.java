package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.config.HostPort;
import io.rvi.testkit.Await;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.rvi.testkit.RespClient;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /actions/redis/switchover against a real Sentinel (quorum 1) watching a real master and replica. */
class SwitchoverIT {
    private RedisHarness redis;
    private FailoverRig rig;

    @BeforeEach
    void start() {
        redis = new RedisHarness();
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

    @Test
    void switchoverMovesTheMasterAndSaysWhere() throws Exception {
        RedisProcess master = redis.redis("127.0.0.1", "--repl-diskless-sync-delay", "0");
        RedisProcess replica = redis.redis("127.0.0.2", "--replicaof", master.host(), String.valueOf(master.port()),
                "--replica-announce-ip", "127.0.0.2");
        RedisProcess sentinel = redis.sentinel("127.0.0.1", master, 1);
        HostPort s = new HostPort(sentinel.host(), sentinel.port());
        Await.until("sentinel knows the replica", Duration.ofSeconds(15), () -> {
            try (RespClient c = sentinel.client()) {
                return String.valueOf(c.call("SENTINEL", "REPLICAS", "mymaster")).contains(replica.address());
            }
        });
        rig = new FailoverRig();
        RedisAccess ask = new RedisAccess(rig.vertx, null, Duration.ofSeconds(1));
        rig.delegate = () -> ask.send(s, Request.cmd(Command.SENTINEL).arg("get-master-addr-by-name").arg("mymaster"))
                .map(r -> r == null || r.size() < 2 ? Optional.<HostPort>empty()
                        : Optional.of(new HostPort(r.get(0).toString(), r.get(1).toInteger())));
        HostPort unreachable = new HostPort("127.0.0.1", io.rvi.testkit.FreePorts.free());
        rig.start(FailoverRig.config(new HostPort(master.host(), master.port()), null, AgentConfig.Hooks.NONE, List.of(unreachable, s)));

        assertEquals(400, rig.post("/actions/redis/switchover", "{\"timeout_ms\": 5}").statusCode());
        HttpResponse<String> r = rig.post("/actions/redis/switchover", "{\"timeout_ms\": 30000}");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(true, body.getBoolean("ok"));
        assertEquals(master.address(), body.getString("from"));
        assertEquals(replica.address(), body.getString("to"));
        assertEquals(s.toString(), body.getString("sentinel"));
        assertTrue(body.getLong("duration_ms") < 30000);
        ask.close();
    }
}
