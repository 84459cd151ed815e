package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.failover.RoutingPlan.Kind;
import io.rvi.agent.failover.RoutingPlan.Step;
import io.rvi.agent.haproxy.HaproxyServer;
import io.rvi.common.config.HostPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingPlanTest {
    static final HostPort A = new HostPort("10.0.0.11", 6379);
    static final HostPort B = new HostPort("10.0.0.12", 6379);
    static final HostPort C = new HostPort("10.0.0.13", 6379);
    static final Map<HostPort, String> SERVERS = new LinkedHashMap<>(Map.of(A, "r1", B, "r2", C, "r3"));

    static HaproxyServer srv(String name, int op, int admin) {
        return new HaproxyServer("redis_write", name, "10.0.0.1", 6379, op, admin, 0);
    }

    @Test
    void fullPlanFencesEveryOtherServerFirstThenReadiesTheMaster() {
        RoutingPlan p = RoutingPlan.full(Map.of(A, "r1", B, "r2", C, "r3"), B);
        assertEquals("r2", p.masterServer());
        assertEquals(2, p.first().size());
        assertTrue(p.first().stream().allMatch(s -> s.kind() == Kind.MAINT && !s.server().equals("r2")));
        assertEquals(new Step(Kind.READY, "r2"), p.second().get(0));
        assertEquals(new Step(Kind.HEALTH_UP, "r2"), p.second().get(1));
        assertEquals(2, p.second().stream().filter(s -> s.kind() == Kind.SHUTDOWN_SESSIONS).count());
    }

    @Test
    void unknownMasterTakesEveryServerOut() {
        RoutingPlan p = RoutingPlan.full(SERVERS, new HostPort("10.9.9.9", 6379));
        assertNull(p.masterServer());
        assertEquals(3, p.first().size());
        assertEquals(3, p.second().size());
    }

    @Test
    void correctionsTouchOnlyWhatDiffers() {
        List<HaproxyServer> agreeing = List.of(srv("r1", 0, 1), srv("r2", 2, 0), srv("r3", 0, 1));
        assertTrue(RoutingPlan.corrections(SERVERS, B, agreeing).isEmpty());
        // the master is down by its health check: that is the check's business, not a correction
        assertTrue(RoutingPlan.corrections(SERVERS, B, List.of(srv("r1", 0, 1), srv("r2", 0, 0), srv("r3", 2, 1))).isEmpty());
        RoutingPlan p = RoutingPlan.corrections(SERVERS, B, List.of(srv("r1", 2, 0), srv("r2", 2, 1), srv("r3", 0, 1), srv("other", 2, 0)));
        assertEquals(List.of(new Step(Kind.MAINT, "r1")), p.first());
        assertEquals(List.of(new Step(Kind.READY, "r2"), new Step(Kind.SHUTDOWN_SESSIONS, "r1")), p.second());
        RoutingPlan drain = RoutingPlan.corrections(SERVERS, B, List.of(srv("r2", 2, 8)));
        assertEquals(List.of(new Step(Kind.READY, "r2")), drain.second());
    }
}
