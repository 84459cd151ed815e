package io.rvi.agent.http;

import io.rvi.common.config.Secret;
import io.rvi.common.http.BearerAuth;
import io.rvi.common.http.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards every {@code /actions/...} route: 403 while no token is configured, 401 without the right
 * bearer token (constant-time compare), else passes the request on with principal
 * {@value #PRINCIPAL}. Writes one audit line per action request, never the token. The token can be
 * swapped at any time ({@link #token(Secret)}), effective for the next request.
 */
final class ActionGate implements Handler<RoutingContext> {
    static final String PRINCIPAL = "http.token_file";
    static final String DISABLED = "actions disabled: set http.token_file";
    private static final Logger AUDIT = LoggerFactory.getLogger("rvi.audit");

    private volatile Secret token;
    private final Handler<RoutingContext> bearer;

    ActionGate(Secret token) {
        this.token = token;
        this.bearer = BearerAuth.handler(ctx -> {
            Secret t = this.token;
            return t != null && BearerAuth.matches(ctx, t) ? PRINCIPAL : null;
        });
    }

    void token(Secret next) {
        this.token = next;
    }

    boolean enabled() {
        return token != null;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addEndHandler(v -> audit(ctx));
        if (token == null) {
            HttpErrors.send(ctx, 403, DISABLED);
            return;
        }
        bearer.handle(ctx);
    }

    private static void audit(RoutingContext ctx) {
        int status = ctx.response().getStatusCode();
        Object principal = ctx.get("principal");
        String remote = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        if (status == 401 || status == 403) {
            AUDIT.warn("http method={} path={} from={} status={} outcome=refused", ctx.request().method(), ctx.request().path(), remote, status);
        } else {
            AUDIT.info("http method={} path={} from={} principal={} status={}", ctx.request().method(), ctx.request().path(), remote,
                    principal, status);
        }
    }
}
