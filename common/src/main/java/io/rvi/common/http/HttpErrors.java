package io.rvi.common.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON error shape of every rvi HTTP API: {@code {"error": "...", "status": N}}, and the
 * router-wide handlers that produce it: unknown path 404, oversized body 413, malformed JSON 400,
 * anything unexpected 500 (logged, never the stack to the client).
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {}

    public static void send(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).put("status", status).encode());
    }

    /**
     * Installs, on {@code router}: a body handler limited to {@code maxBodyBytes} (413 beyond), the
     * JSON 404 for unknown paths, and the failure handler. Call before adding routes.
     */
    public static void install(Router router, long maxBodyBytes) {
        router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
        router.errorHandler(404, ctx -> send(ctx, 404, "no such resource: " + ctx.request().path()));
        router.errorHandler(405, ctx -> send(ctx, 405, "method not allowed: " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(413, ctx -> send(ctx, 413, "request body larger than " + maxBodyBytes + " bytes"));
        router.route().failureHandler(ctx -> failure(ctx, maxBodyBytes));
    }

    private static void failure(RoutingContext ctx, long maxBodyBytes) {
        Throwable t = ctx.failure();
        int status = ctx.statusCode();
        if (t instanceof BadRequest || t instanceof IllegalArgumentException || t instanceof io.vertx.core.json.DecodeException) {
            send(ctx, 400, t.getMessage() == null ? "bad request" : t.getMessage().lines().findFirst().orElse("bad request"));
        } else if (status > 0 && status != 500) {
            send(ctx, status, status == 413 ? "request body larger than " + maxBodyBytes + " bytes" : "request failed");
        } else {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), t);
            send(ctx, 500, "internal error");
        }
    }

    /** Thrown by handlers for input they refuse: answered 400 with the message. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }
}
