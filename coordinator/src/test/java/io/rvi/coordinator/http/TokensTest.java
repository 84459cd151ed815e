package io.rvi.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rvi.common.config.Secret;
import io.rvi.coordinator.config.CoordinatorConfig;
import io.rvi.coordinator.http.Tokens.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokensTest {
    private final Tokens tokens = new Tokens(new CoordinatorConfig.Auth(new Secret("op", "f"), new Secret("shared", "f"),
            Map.of("a1", new Secret("t1", "f"), "a2", new Secret("t2", "f"))));
    private final Tokens perAgentOnly = new Tokens(new CoordinatorConfig.Auth(new Secret("op", "f"), null,
            Map.of("a1", new Secret("t1", "f"))));

    @Test
    void agentRoutes() {
        assertEquals(Verdict.UNAUTHORIZED, tokens.agent(null, "a1").verdict());
        assertEquals(Verdict.UNAUTHORIZED, tokens.agent("nope", "a1").verdict());
        assertEquals(Verdict.OK, tokens.agent("t1", "a1").verdict());
        assertEquals("agent:a1", tokens.agent("t1", "a1").principal());
        assertEquals(Verdict.FORBIDDEN, tokens.agent("t2", "a1").verdict(), "a per-agent token is only for its agent");
        assertEquals(Verdict.OK, tokens.agent("shared", "a1").verdict());
        assertEquals(Verdict.OK, tokens.agent("shared", "someone-else").verdict());
        assertEquals(Verdict.FORBIDDEN, tokens.agent("op", "a1").verdict());
        assertEquals(Verdict.UNAUTHORIZED, perAgentOnly.agent("shared", "a1").verdict());
        assertEquals(Verdict.FORBIDDEN, perAgentOnly.agent("t1", "a9").verdict());
    }

    @Test
    void operatorRoutes() {
        assertEquals(Verdict.UNAUTHORIZED, tokens.operator(null).verdict());
        assertEquals(Verdict.UNAUTHORIZED, tokens.operator("nope").verdict());
        assertEquals(Verdict.OK, tokens.operator("op").verdict());
        assertEquals(Verdict.FORBIDDEN, tokens.operator("shared").verdict());
        assertEquals(Verdict.FORBIDDEN, tokens.operator("t2").verdict());
    }
}
