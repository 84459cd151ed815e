package io.rvi.agent.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.EventSink;
import io.rvi.common.Clock;
import io.rvi.testkit.Procs;
import io.rvi.testkit.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hooks that hang or fail: killed at their timeout, counted, never holding up the others. */
class HookDispatcherIT {
    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor worker = vertx.createSharedWorkerExecutor("test-hooks", 4);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActionRunner actions = new ActionRunner(vertx, registry, EventSink.NONE, Clock.SYSTEM, new Random());
    private final WebClient web = WebClient.create(vertx);
    private final Path dir = TempDirs.create("hooks");
    private final String marker = "37." + System.nanoTime() % 100000; // a unique sleep argument, to find the process

    @AfterEach
    void stop() throws Exception {
        Procs.killMatching("sleep " + marker);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        TempDirs.delete(dir);
    }

    static HookEvent event(String id) {
        return new HookEvent(HookEvent.ROLE_CHANGE, id, "mymaster", "replica", "role-change", null, null, Map.of("event", "role_change"));
    }

    double count(String outcome) {
        return registry.find("rvi.hooks").tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void hangingHookIsKilledAtItsTimeoutAndOthersStillRun() throws Exception {
        Path ok = dir.resolve("ok");
        AgentConfig.Hook hang = new AgentConfig.Hook(List.of("/bin/sh", "-c", "/bin/sleep " + marker + "; true", "hook"), null, Duration.ofMillis(400));
        AgentConfig.Hook fails = new AgentConfig.Hook(List.of("/bin/false"), null, Duration.ofSeconds(2));
        AgentConfig.Hook dead = new AgentConfig.Hook(List.of(), URI.create("http://127.0.0.1:1/nothing"), Duration.ofMillis(500));
        AgentConfig.Hook good = new AgentConfig.Hook(List.of("/bin/sh", "-c", "touch " + ok, "hook"), null, Duration.ofSeconds(2));
        HookDispatcher d = new HookDispatcher(worker, web, actions, registry,
                () -> new AgentConfig.Hooks(List.of(), List.of(hang, fails, dead, good)));
        long t0 = System.nanoTime();
        d.fire(event("r-1")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 380 && ms < 3000, "took " + ms + " ms");
        assertTrue(Files.exists(ok), "the good hook ran");
        assertEquals(0, Procs.matching("sleep " + marker).size(), "the hanging hook was killed, its children too");
        assertEquals(1.0, count("timeout"));
        assertEquals(2.0, count("failure"));
        assertEquals(1.0, count("success"));
        // the same id again: nothing runs
        Files.delete(ok);
        d.fire(event("r-1")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(Files.notExists(ok));
        assertEquals(1.0, count("success"));
    }
}
