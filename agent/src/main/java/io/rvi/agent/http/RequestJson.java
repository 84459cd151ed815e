package io.rvi.agent.http;

import io.rvi.common.http.HttpErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads a request's JSON body for action handlers; malformed JSON is answered 400 by the router. */
public final class RequestJson {
    private RequestJson() {}

    /** The body as a JSON object; an empty body is an empty object. Throws {@link HttpErrors.BadRequest} otherwise. */
    public static JsonObject object(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().isEmpty()) {
            return new JsonObject();
        }
        try {
            return ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new HttpErrors.BadRequest("malformed JSON body: expected a JSON object");
        }
    }
}
