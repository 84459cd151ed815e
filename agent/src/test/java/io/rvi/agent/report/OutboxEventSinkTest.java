package io.rvi.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.common.Clock;
import io.rvi.testkit.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboxEventSinkTest {
    @Test
    void numbersStoresAndPublishesEachEvent() throws Exception {
        Vertx vertx = Vertx.vertx();
        Path dir = TempDirs.create("sink");
        try {
            Outbox outbox = Outbox.open(dir.resolve("outbox"), 100, vertx.createSharedWorkerExecutor("test-sink", 1), new SimpleMeterRegistry());
            CompletableFuture<JsonObject> published = new CompletableFuture<>();
            vertx.eventBus().<JsonObject>consumer(OutboxEventSink.ADDRESS, m -> published.complete(m.body()))
                    .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Clock clock = new Clock() {
                @Override
                public long millis() {
                    return 1234;
                }

                @Override
                public long nanos() {
                    return 0;
                }
            };
            new OutboxEventSink(vertx, outbox, clock).emit("process_exited", "warning", "redis", "redis exited with 1", Map.of("code", 1));

            JsonObject e = published.get(5, TimeUnit.SECONDS);
            assertEquals(1, e.getLong("seq"));
            assertEquals(1234, e.getLong("time"));
            assertEquals("process_exited", e.getString("type"));
            assertEquals("warning", e.getString("severity"));
            assertEquals("redis", e.getString("service"));
            assertEquals(1, e.getJsonObject("data").getInteger("code"));
            OutboxTest.await(outbox.flush());
            assertEquals(1, outbox.pending());
            outbox.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            TempDirs.delete(dir);
        }
    }
}
