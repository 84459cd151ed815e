package io.rvi.agent.hooks;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** POSTs the event's record as JSON to a webhook; any 2xx is success. */
public final class WebHook {
    private WebHook() {}

    public static Future<Integer> post(WebClient client, URI url, Map<String, Object> record, Duration timeout) {
        return client.postAbs(url.toString()).timeout(Math.max(1, timeout.toMillis()))
                .putHeader("content-type", "application/json").putHeader("user-agent", "rvi-agent")
                .sendJsonObject(new JsonObject(record))
                .compose(resp -> resp.statusCode() / 100 == 2 ? Future.succeededFuture(resp.statusCode())
                        : Future.failedFuture("webhook " + host(url) + " answered HTTP " + resp.statusCode()));
    }

    /** Host and path only: a URL may carry a token in its query. */
    static String host(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getPath();
    }
}
