package io.rvi.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.common.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActionRunnerTest {
    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> events = new ArrayList<>();
    private final ActionRunner runner = new ActionRunner(vertx, registry,
            (type, severity, service, message, data) -> events.add(severity + ":" + data.get("action") + ":" + data.get("outcome")),
            Clock.SYSTEM, new Random(1));

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Throwable failure(Future<?> f) throws Exception {
        try {
            await(f);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the action to fail");
    }

    @Test
    void retriesAFailingActionUntilItSucceedsAndCountsOneSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ActionSpec spec = ActionSpec.retrying("restart", Duration.ofSeconds(1), 5, Duration.ofMillis(5), Duration.ofMillis(20));
        String out = await(vertx.getOrCreateContext().<String>executeBlocking(() -> null)
                .compose(x -> runner.run(spec, "redis", () -> calls.incrementAndGet() < 3
                        ? Future.failedFuture(new RuntimeException("not yet")) : Future.succeededFuture("done"))));
        assertEquals("done", out);
        assertEquals(3, calls.get());
        assertEquals(1.0, registry.get("rvi.action").tags("action", "restart", "outcome", "success").counter().count());
        assertTrue(registry.get("rvi.action.last.success.timestamp").tag("action", "restart").gauge().value() > 0);
        assertEquals(List.of("info:restart:success"), events);
    }

    @Test
    void stopsAfterMaxAttemptsAndReportsTheFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ActionSpec spec = ActionSpec.retrying("start", Duration.ofSeconds(1), 3, Duration.ofMillis(1), Duration.ofMillis(5));
        Throwable t = failure(runner.run(spec, "sentinel", () -> {
            calls.incrementAndGet();
            return Future.failedFuture(new RuntimeException("boom"));
        }));
        assertEquals(3, calls.get());
        assertInstanceOf(ActionRunner.ActionFailed.class, t);
        assertEquals(3, ((ActionRunner.ActionFailed) t).attempts);
        assertEquals(1.0, registry.get("rvi.action").tags("action", "start", "outcome", "failure").counter().count());
        assertEquals(List.of("warning:start:failure"), events);
    }

    @Test
    void doesNotRetryANotRetryableFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ActionSpec spec = ActionSpec.retrying("restart", Duration.ofSeconds(1), 5, Duration.ofMillis(1), Duration.ofMillis(5));
        failure(runner.run(spec, "redis", () -> {
            calls.incrementAndGet();
            return Future.failedFuture(new ActionSpec.NotRetryable("binary missing"));
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void timesOutAnAttemptThatNeverCompletes() throws Exception {
        ActionSpec spec = ActionSpec.once("restart", Duration.ofMillis(50));
        Throwable t = failure(runner.run(spec, "redis", () -> Promise.<Void>promise().future()));
        assertInstanceOf(TimeoutException.class, t.getCause());
        assertEquals(1.0, registry.get("rvi.action").tags("action", "restart", "outcome", "timeout").counter().count());
    }

    @Test
    void aSecondCallForTheSameTargetJoinsTheRunningOne() throws Exception {
        Promise<String> gate = Promise.promise();
        AtomicInteger calls = new AtomicInteger();
        ActionSpec spec = ActionSpec.once("restart", Duration.ofSeconds(5));
        Future<String> first = runner.run(spec, "redis", () -> {
            calls.incrementAndGet();
            return gate.future();
        });
        Future<String> second = runner.run(spec, "redis", () -> {
            calls.incrementAndGet();
            return Future.succeededFuture("second");
        });
        assertTrue(runner.isRunning("restart", "redis"));
        assertSame(first, second);
        gate.complete("first");
        assertEquals("first", await(second));
        assertEquals(1, calls.get(), "the action ran once");
        // once finished, a new call runs again
        assertEquals("again", await(runner.run(spec, "redis", () -> Future.succeededFuture("again"))));
    }

    @Test
    void differentTargetsRunSideBySide() throws Exception {
        Promise<String> gate = Promise.promise();
        ActionSpec spec = ActionSpec.once("restart", Duration.ofSeconds(5));
        runner.run(spec, "redis", gate::future);
        assertEquals("s", await(runner.run(spec, "sentinel", () -> Future.succeededFuture("s"))));
        gate.complete("r");
    }
}
