package io.rvi.coordinator.http;

import io.rvi.common.http.BearerAuth;
import io.rvi.common.http.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Route handlers that apply {@link Tokens}: 401 (with WWW-Authenticate) or 403, else on with a principal. */
final class AuthHandlers {
    private AuthHandlers() {}

    /** For routes with the agent id as path parameter {@code id}. */
    static Handler<RoutingContext> agent(Tokens tokens) {
        return ctx -> decide(ctx, tokens.agent(BearerAuth.token(ctx), ctx.pathParam("id")));
    }

    static Handler<RoutingContext> operator(Tokens tokens) {
        return ctx -> decide(ctx, tokens.operator(BearerAuth.token(ctx)));
    }

    private static void decide(RoutingContext ctx, Tokens.Decision d) {
        switch (d.verdict()) {
            case OK -> {
                ctx.put("principal", d.principal());
                ctx.next();
            }
            case FORBIDDEN -> HttpErrors.send(ctx, 403, d.reason());
            case UNAUTHORIZED -> {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                HttpErrors.send(ctx, 401, d.reason());
            }
        }
    }
}
