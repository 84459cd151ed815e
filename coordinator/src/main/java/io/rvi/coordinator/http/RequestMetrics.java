package io.rvi.coordinator.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Counts every request when its response ends: {@code rvi_coordinator_requests_total{route,status}}.
 * {@code route} is a fixed name derived from the path (so it is known even for requests refused
 * before routing, like 413), never the raw path.
 */
public final class RequestMetrics {
    private static final Pattern HEARTBEAT = Pattern.compile("/v1/agents/[^/]+/heartbeat");
    private static final Pattern AGENT_EVENTS = Pattern.compile("/v1/agents/[^/]+/events");

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The route label for a request path. */
    public static String route(String path) {
        if (path == null) {
            return "other";
        }
        if (HEARTBEAT.matcher(path).matches()) {
            return "heartbeat";
        }
        if (AGENT_EVENTS.matcher(path).matches()) {
            return "agent_events";
        }
        return switch (path) {
            case "/v1/fleet" -> "fleet";
            case "/v1/events" -> "events";
            case "/health/live", "/health/ready" -> "health";
            case "/metrics" -> "metrics";
            default -> "other";
        };
    }

    /** Install first on the router, before the body handler. */
    public Handler<RoutingContext> handler() {
        return ctx -> {
            String route = route(ctx.request().path());
            ctx.addEndHandler(ar -> Counter.builder("rvi.coordinator.requests")
                    .description("HTTP requests answered by the coordinator, by route and status")
                    .tag("route", route).tag("status", String.valueOf(ctx.response().getStatusCode()))
                    .register(registry).increment());
            ctx.next();
        };
    }
}
