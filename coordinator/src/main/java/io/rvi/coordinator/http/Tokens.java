package io.rvi.coordinator.http;

import io.rvi.common.config.Secret;
import io.rvi.coordinator.config.CoordinatorConfig;
import java.util.Map;

/**
 * Which bearer token may do what. Agent routes accept the shared agent token, or the per-agent
 * token of the agent id in the path. A token that is valid but for something else (another agent's
 * token, the operator token on an agent route, an agent token on an operator route) is refused
 * with 403; a missing or unknown token with 401. Every comparison is constant-time and every
 * per-agent token is compared, so timing does not tell which agent a token belongs to.
 */
public final class Tokens {
    public enum Verdict { OK, UNAUTHORIZED, FORBIDDEN }

    /** {@code principal} names who is calling (never the token); {@code reason} is for the client. */
    public record Decision(Verdict verdict, String principal, String reason) {
        static Decision ok(String principal) {
            return new Decision(Verdict.OK, principal, null);
        }

        static Decision refuse(Verdict verdict, String reason) {
            return new Decision(verdict, null, reason);
        }
    }

    private final Secret operator;
    private final Secret sharedAgent;
    private final Map<String, Secret> perAgent;

    public Tokens(CoordinatorConfig.Auth auth) {
        this.operator = auth.operatorToken();
        this.sharedAgent = auth.agentToken();
        this.perAgent = Map.copyOf(auth.agentTokens());
    }

    /** May {@code token} act as agent {@code agentId}? */
    public Decision agent(String token, String agentId) {
        if (token == null) {
            return Decision.refuse(Verdict.UNAUTHORIZED, "missing bearer token");
        }
        boolean own = false;
        boolean other = false;
        for (Map.Entry<String, Secret> e : perAgent.entrySet()) {
            if (e.getValue().matches(token)) {
                if (e.getKey().equals(agentId)) {
                    own = true;
                } else {
                    other = true;
                }
            }
        }
        if (own) {
            return Decision.ok("agent:" + agentId);
        }
        if (sharedAgent != null && sharedAgent.matches(token)) {
            return Decision.ok("agent(shared):" + agentId);
        }
        if (other) {
            return Decision.refuse(Verdict.FORBIDDEN, "this token belongs to another agent");
        }
        if (operator != null && operator.matches(token)) {
            return Decision.refuse(Verdict.FORBIDDEN, "the operator token is not valid for agent routes");
        }
        return Decision.refuse(Verdict.UNAUTHORIZED, "invalid bearer token");
    }

    /** May {@code token} use the operator routes? */
    public Decision operator(String token) {
        if (token == null) {
            return Decision.refuse(Verdict.UNAUTHORIZED, "missing bearer token");
        }
        if (operator != null && operator.matches(token)) {
            return Decision.ok("operator");
        }
        boolean agent = sharedAgent != null && sharedAgent.matches(token);
        for (Secret s : perAgent.values()) {
            agent |= s.matches(token);
        }
        if (agent) {
            return Decision.refuse(Verdict.FORBIDDEN, "an agent token is not valid for operator routes");
        }
        return Decision.refuse(Verdict.UNAUTHORIZED, "invalid bearer token");
    }
}
