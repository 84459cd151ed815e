package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start plan's factories, and where the gate's arguments go on the command line. */
class SupervisionStartGateTest {
    @Test
    void planFactories() {
        assertEquals(new StartPlan(false, List.of(), ""), StartPlan.proceed());
        StartPlan with = StartPlan.proceedWith(List.of("--replicaof", "h", "1"), "why");
        assertFalse(with.hold());
        assertEquals(List.of("--replicaof", "h", "1"), with.extraArgs());
        StartPlan hold = StartPlan.hold("wait");
        assertTrue(hold.hold());
        assertEquals("wait", hold.reason());
        assertEquals(List.of(), hold.extraArgs());
        assertThrows(IllegalArgumentException.class, () -> new StartPlan(true, List.of("--x"), "no"));
        List<String> mutable = new ArrayList<>(List.of("a"));
        StartPlan copy = StartPlan.proceedWith(mutable, "r");
        mutable.add("b");
        assertEquals(List.of("a"), copy.extraArgs(), "copied");
        assertEquals("", new StartPlan(false, List.of(), null).reason());
    }

    @Test
    void extraArgumentsComeLastAfterTheAddress() {
        AgentConfig.Service s = Fixtures.redis("redis", "127.0.0.1", 7000, Path.of("/tmp/w"), "/etc/redis.conf", "--save", "");
        assertEquals(List.of("/usr/bin/redis-server", "/etc/redis.conf", "--save", "", "--port", "7000", "--bind", "127.0.0.1",
                "--daemonize", "no", "--replicaof", "10.0.0.12", "6379"), SpawnCommand.argv(s, List.of("--replicaof", "10.0.0.12", "6379")));
        assertEquals(SpawnCommand.argv(s), SpawnCommand.argv(s, List.of()));
    }

    @Test
    void theDefaultGateAlwaysProceeds() {
        var f = StartGate.ALWAYS.beforeStart(Fixtures.redis("redis", "127.0.0.1", 7000, null), true);
        assertTrue(f.succeeded());
        assertEquals(StartPlan.proceed(), f.result());
    }
}
