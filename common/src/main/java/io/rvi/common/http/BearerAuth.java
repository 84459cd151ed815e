package io.rvi.common.http;

import io.rvi.common.config.Secret;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Checks {@code Authorization: Bearer <token>} against the accepted secrets (constant-time
 * compare). 401 when missing or wrong. The token is never logged.
 */
public final class BearerAuth {
    private BearerAuth() {}

    /** The token of the request, or null. */
    public static String token(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    /**
     * A handler that lets a request through when {@code accept} says its token is good for it, and
     * puts the returned principal (a name, never the token) in the context as {@code "principal"}.
     */
    public static Handler<RoutingContext> handler(Function<RoutingContext, String> accept) {
        return ctx -> {
            String principal = token(ctx) == null ? null : accept.apply(ctx);
            if (principal == null) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                HttpErrors.send(ctx, 401, token(ctx) == null ? "missing bearer token" : "invalid bearer token");
                return;
            }
            ctx.put("principal", principal);
            ctx.next();
        };
    }

    /** True when the request's token matches {@code secret}. */
    public static boolean matches(RoutingContext ctx, Secret secret) {
        return secret != null && secret.matches(token(ctx));
    }
}
