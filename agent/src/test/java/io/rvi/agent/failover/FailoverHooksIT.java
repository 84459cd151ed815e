package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.sentinel.SwitchMaster;
import io.rvi.common.config.HostPort;
import io.rvi.testkit.Await;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.RedisProcess;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** on_failover hooks fired once per failover id, from SwitchMasters on the event bus. */
class FailoverHooksIT {
    private RedisHarness redis;
    private FailoverRig rig;
    private RedisProcess local;

    @BeforeEach
    void start() {
        redis = new RedisHarness();
        local = redis.redis("127.0.0.1");
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

    void publishTwice(SwitchMaster sm) {
        rig.vertx.eventBus().publish(SwitchMaster.ADDRESS, sm.toJson());
        rig.vertx.eventBus().publish(SwitchMaster.ADDRESS, sm.toJson());
    }

    static int lines(Path p) {
        try {
            return Files.readAllLines(p).size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    SwitchMaster switchMaster(String id) {
        return new SwitchMaster(id, "mymaster", new HostPort("10.0.0.11", 6379), new HostPort("10.0.0.12", 6380),
                System.currentTimeMillis(), new HostPort("10.0.0.13", 26379));
    }

    @Test
    void execHookRunsOncePerFailoverWithSentinelsArguments() throws Exception {
        Path out = redis.root().resolve("hook.out");
        AgentConfig.Hook hook = new AgentConfig.Hook(List.of("/bin/sh", "-c", "echo \"$@\" >> " + out, "hook"), null, Duration.ofSeconds(5));
        rig = new FailoverRig();
        rig.quorum.set(Optional.of(new HostPort(local.host(), local.port())));
        rig.start(FailoverRig.config(new HostPort(local.host(), local.port()), null, new AgentConfig.Hooks(List.of(hook), List.of()), List.of()));
        publishTwice(switchMaster("f-42"));
        Await.until("hook ran", Duration.ofSeconds(5), () -> Files.exists(out));
        Thread.sleep(700);
        assertEquals(List.of("mymaster observer start 10.0.0.11 6379 10.0.0.12 6380"), Files.readAllLines(out));
        publishTwice(switchMaster("f-43"));
        Await.until("second failover's hook ran", Duration.ofSeconds(5), () -> lines(out) == 2);
        Thread.sleep(500);
        assertEquals(2, Files.readAllLines(out).size());
        assertEquals(2.0, rig.registry.find("rvi.hooks").tag("outcome", "success").counter().count());
    }

    @Test
    void webhookGetsOnePostOfTheFailoverRecord() throws Exception {
        rig = new FailoverRig();
        List<JsonObject> posts = new CopyOnWriteArrayList<>();
        HttpServer receiver = FailoverRig.await(rig.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            posts.add(new JsonObject(b));
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1"));
        AgentConfig.Hook hook = new AgentConfig.Hook(List.of(), URI.create("http://127.0.0.1:" + receiver.actualPort() + "/hook?t=secret"),
                Duration.ofSeconds(2));
        rig.quorum.set(Optional.of(new HostPort(local.host(), local.port())));
        rig.start(FailoverRig.config(new HostPort(local.host(), local.port()), null, new AgentConfig.Hooks(List.of(hook), List.of()), List.of()));
        publishTwice(switchMaster("f-7"));
        Await.until("webhook posted", Duration.ofSeconds(5), () -> !posts.isEmpty());
        Thread.sleep(500);
        assertEquals(1, posts.size());
        JsonObject body = posts.get(0);
        assertEquals("f-7", body.getString("failover_id"));
        assertEquals("failover", body.getString("event"));
        assertEquals("10.0.0.12:6380", body.getString("to"));
        receiver.close();
    }
}
