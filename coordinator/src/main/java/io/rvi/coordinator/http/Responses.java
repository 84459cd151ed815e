package io.rvi.coordinator.http;

import io.rvi.common.Json;
import io.vertx.ext.web.RoutingContext;

/** JSON answers (errors go through {@link io.rvi.common.http.HttpErrors}). */
final class Responses {
    private Responses() {}

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(Json.write(body));
    }
}
