package io.rvi.bench;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import oshi.SystemInfo;

/**
 * The anchor of the footprint benchmark: a bare Vert.x app with the same libraries (Micrometer +
 * Prometheus, OSHI, the Redis client) and nothing of rvi: /health/ready and /metrics only.
 */
public final class BareVertx {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Redis.createClient(vertx, "redis://127.0.0.1:" + args[1]);
        vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/metrics")) {
                req.response().putHeader("content-type", "text/plain; version=0.0.4").end(registry.scrape());
            } else {
                req.response().end("ok");
            }
        }).listen(port, "127.0.0.1").await();
        vertx.executeBlocking(() -> new SystemInfo().getHardware().getMemory().getTotal());
    }
}
