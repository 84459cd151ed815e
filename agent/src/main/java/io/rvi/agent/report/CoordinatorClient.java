package io.rvi.agent.report;

import io.rvi.common.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Sends one JSON request to a coordinator and sorts the answer into {@link Reply.Kind}: worked,
 * coordinator unavailable (connection failed, timed out, 5xx, 429: try elsewhere / later), or
 * rejected (another 4xx: the request or the token is wrong; another coordinator would say the
 * same). The token goes only into the Authorization header, never into a message.
 */
final class CoordinatorClient {
    /** The outcome of one request. {@code body} is the JSON answer when {@code kind} is OK. */
    record Reply(Kind kind, int status, JsonObject body, String reason) {
        enum Kind { OK, UNAVAILABLE, REJECTED }
    }

    private final WebClient client;

    CoordinatorClient(Vertx vertx) {
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("rvi-agent").setKeepAlive(true)
                .setFollowRedirects(false));
    }

    Future<Reply> send(HttpMethod method, String url, Secret token, byte[] json, long timeoutMillis) {
        var req = client.requestAbs(method, url)
                .putHeader("content-type", "application/json")
                .timeout(timeoutMillis)
                .connectTimeout(timeoutMillis);
        if (token != null) {
            req.putHeader("Authorization", "Bearer " + token.reveal());
        }
        return req.sendBuffer(Buffer.buffer(json)).transform(ar -> Future.succeededFuture(
                ar.succeeded() ? classify(ar.result()) : new Reply(Reply.Kind.UNAVAILABLE, 0, null, describe(ar.cause()))));
    }

    void close() {
        client.close();
    }

    private static Reply classify(HttpResponse<Buffer> r) {
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            try {
                JsonObject body = r.body() == null ? new JsonObject() : r.bodyAsJsonObject();
                return new Reply(Reply.Kind.OK, s, body == null ? new JsonObject() : body, null);
            } catch (RuntimeException e) {
                return new Reply(Reply.Kind.REJECTED, s, null, "answer is not a JSON object");
            }
        }
        String reason = "HTTP " + s + errorOf(r);
        if (s >= 500 || s == 429 || s == 408) {
            return new Reply(Reply.Kind.UNAVAILABLE, s, null, reason);
        }
        return new Reply(Reply.Kind.REJECTED, s, null, reason);
    }

    private static String errorOf(HttpResponse<Buffer> r) {
        try {
            JsonObject o = r.bodyAsJsonObject();
            return o != null && o.getValue("error") instanceof String e ? " (" + e + ")" : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
