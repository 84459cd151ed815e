package io.rvi.agent.metrics;

import static io.rvi.agent.metrics.HostMetersTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.common.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostMetricsTest {
    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor worker = vertx.createSharedWorkerExecutor("test-host", 2);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FakeSampler sampler = new FakeSampler();
    private final AtomicInteger built = new AtomicInteger();
    private final List<String> builtOn = new CopyOnWriteArrayList<>();
    private HostMetrics host;

    /** A host reading that returns what the test sets, counts its calls and can fail or be slow. */
    static final class FakeSampler implements HostSampler {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final List<List<Path>> pathsSeen = new CopyOnWriteArrayList<>();
        volatile double cpu = 0.5;
        volatile RuntimeException failWith;
        volatile long sleepMillis;

        @Override
        public HostSample sample(List<Path> diskPaths) {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                calls.incrementAndGet();
                pathsSeen.add(diskPaths);
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis);
                }
                if (failWith != null) {
                    throw failWith;
                }
                List<HostSample.Disk> disks = diskPaths.stream().map(p -> new HostSample.Disk(p.toString(), "/", 100, 60, 40)).toList();
                return new HostSample(cpu, 1, 1, 1, 1000, 500, 0, 0, disks, List.of(), List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    static final class FixedClock implements Clock {
        @Override
        public long millis() {
            return 1_700_000_000_000L;
        }

        @Override
        public long nanos() {
            return System.nanoTime();
        }
    }

    private HostMetrics host(Duration interval, List<Path> paths, Supplier<HostSampler> factory) {
        host = new HostMetrics(vertx, registry, new AgentConfig.Metrics(interval, paths), worker, new FixedClock(), factory);
        return host;
    }

    private Supplier<HostSampler> counting() {
        return () -> {
            built.incrementAndGet();
            builtOn.add(Thread.currentThread().getName());
            return sampler;
        };
    }

    @AfterEach
    void close() throws Exception {
        if (host != null) {
            host.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSamplerIsBuiltLazilyOnTheWorkerAndItsReadingReachesTheGauges() throws Exception {
        HostMetrics h = host(Duration.ofHours(1), List.of(Path.of("/data")), counting());
        assertEquals(0, built.get(), "nothing is read before start");
        h.start();
        await(h.sampleNow());

        assertEquals(1, built.get());
        assertTrue(builtOn.get(0).startsWith("test-host"), () -> "built on " + builtOn);
        String text = registry.scrape();
        assertEquals(0.5, value(text, "rvi_host_cpu_usage_ratio"));
        assertEquals(1000, value(text, "rvi_host_memory_total_bytes"));
        assertEquals(60, value(text, "rvi_host_disk_free_bytes{mount=\"/\",path=\"/data\"}"));
        assertEquals(1_700_000_000, value(text, "rvi_host_sample_timestamp_seconds"));
    }

    @Test
    void aScrapeReadsTheCacheAndNeverTheHost() throws Exception {
        HostMetrics h = host(Duration.ofHours(1), List.of(), counting());
        h.start();
        await(h.sampleNow());
        int calls = sampler.calls.get();
        for (int i = 0; i < 20; i++) {
            registry.scrape();
        }
        assertEquals(calls, sampler.calls.get());
    }

    @Test
    void samplesRepeatEveryIntervalAndNeverOverlap() throws Exception {
        sampler.sleepMillis = 60;
        HostMetrics h = host(Duration.ofMillis(10), List.of(), counting());
        h.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sampler.calls.get() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(sampler.calls.get() >= 5, "sampled " + sampler.calls.get() + " times");
        assertEquals(1, sampler.maxRunning.get(), "two samples ran at once");
    }

    @Test
    void newDiskPathsAreSampledRightAwayAfterReconfigure() throws Exception {
        HostMetrics h = host(Duration.ofHours(1), List.of(Path.of("/a")), counting());
        h.start();
        await(h.sampleNow());
        h.reconfigure(new AgentConfig.Metrics(Duration.ofHours(1), List.of(Path.of("/b"))));
        await(h.sampleNow());

        assertEquals(List.of(Path.of("/b")), sampler.pathsSeen.get(sampler.pathsSeen.size() - 1));
        String text = registry.scrape();
        assertTrue(text.contains("path=\"/b\""), text);
        assertFalse(text.contains("path=\"/a\""), text);
    }

    @Test
    void aFailedReadingIsCountedKeepsTheLastValuesAndTheNextOneWorks() throws Exception {
        HostMetrics h = host(Duration.ofHours(1), List.of(), counting());
        h.start();
        await(h.sampleNow());
        sampler.failWith = new IllegalStateException("/proc/stat vanished");
        sampler.cpu = 0.9;
        await(h.sampleNow());
        String text = registry.scrape();
        assertEquals(1, value(text, "rvi_host_sample_errors_total"));
        assertEquals(0.5, value(text, "rvi_host_cpu_usage_ratio"));

        sampler.failWith = null;
        await(h.sampleNow());
        assertEquals(0.9, value(registry.scrape(), "rvi_host_cpu_usage_ratio"));
    }

    @Test
    void aSamplerThatCannotLoadItsNativeLibraryDisablesHostMetricsOnly() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        HostMetrics h = host(Duration.ofHours(1), List.of(), () -> {
            attempts.incrementAndGet();
            throw new UnsatisfiedLinkError("jnidispatch: /tmp is noexec");
        });
        h.start();
        await(h.sampleNow());
        await(h.sampleNow());
        assertEquals(1, attempts.get(), "a disabled sampler is not retried");
        assertEquals(1, value(registry.scrape(), "rvi_host_sample_errors_total"));
    }

    @Test
    void stopRemovesTheHostSeriesAndEndsSampling() throws Exception {
        HostMetrics h = host(Duration.ofMillis(20), List.of(Path.of("/a")), counting());
        h.start();
        await(h.sampleNow());
        h.stop();
        int calls = sampler.calls.get();
        Thread.sleep(150);
        assertTrue(sampler.calls.get() <= calls + 1, "still sampling after stop");
        assertFalse(registry.scrape().contains("rvi_host_"), registry.scrape());
    }
}
