package io.rvi.coordinator.it;

import io.rvi.common.Clock;
import io.rvi.common.config.Secret;
import io.rvi.coordinator.app.CoordinatorWiring;
import io.rvi.coordinator.config.CoordinatorConfig;
import io.rvi.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real coordinator in-process (through {@link CoordinatorWiring}, its own Vert.x) on a free port
 * of 127.0.0.1 with its SQLite file in a temp dir, plus a small HTTP client for the tests.
 */
final class TestCoordinator {
    static final String OPERATOR = "operator-token-0123";
    static final String SHARED = "shared-agent-token-4567";

    private final CoordinatorConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private CoordinatorWiring wiring;

    /** {@code perAgent}: agent id to its own token. */
    TestCoordinator(Path dir, Map<String, String> perAgent, long maxBodyBytes) {
        Map<String, Secret> tokens = new LinkedHashMap<>();
        perAgent.forEach((id, t) -> tokens.put(id, new Secret(t, "test:" + id)));
        this.config = new CoordinatorConfig(dir.resolve("coordinator.yaml"),
                new CoordinatorConfig.Http("127.0.0.1", FreePorts.free(), maxBodyBytes),
                new CoordinatorConfig.Auth(new Secret(OPERATOR, "test:operator"), new Secret(SHARED, "test:shared"), tokens),
                new CoordinatorConfig.Store(dir.resolve("db/coordinator.db"), Duration.ofDays(30), 1_000_000),
                new CoordinatorConfig.Fleet(3),
                new CoordinatorConfig.Logging(CoordinatorConfig.LogFormat.TEXT, "info"));
    }

    TestCoordinator start() throws Exception {
        wiring = new CoordinatorWiring(config, Clock.SYSTEM);
        wiring.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return this;
    }

    void stop() throws Exception {
        if (wiring != null) {
            wiring.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            wiring = null;
        }
    }

    String url() {
        return "http://127.0.0.1:" + config.http().port();
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }
}
