package io.rvi.agent.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.HostPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookArgsTest {
    static final HookEvent E = new HookEvent(HookEvent.FAILOVER, "f-1", "mymaster", "observer", "start",
            new HostPort("10.0.0.11", 6379), new HostPort("10.0.0.12", 6380), Map.of());

    @Test
    void sentinelsClientReconfigScriptArguments() {
        assertEquals(List.of("/usr/local/bin/notify", "--flag", "mymaster", "observer", "start", "10.0.0.11", "6379", "10.0.0.12", "6380"),
                HookArgs.argv(List.of("/usr/local/bin/notify", "--flag"), E));
    }

    @Test
    void missingAddressesAreEmptyArguments() {
        HookEvent e = new HookEvent(HookEvent.ROLE_CHANGE, "r-1", "mymaster", "replica", "role-change", null, null, Map.of());
        assertEquals(List.of("x", "mymaster", "replica", "role-change", "", "", "", ""), HookArgs.argv(List.of("x"), e));
        assertFalse(HookArgs.env(e).containsKey("RVI_NEW_MASTER"));
    }

    @Test
    void environment() {
        Map<String, String> env = HookArgs.env(E);
        assertEquals("failover", env.get("RVI_HOOK_EVENT"));
        assertEquals("f-1", env.get("RVI_HOOK_ID"));
        assertEquals("10.0.0.12:6380", env.get("RVI_NEW_MASTER"));
    }

    @Test
    void onceFilterRemembersTheLastKeys() {
        OnceFilter f = new OnceFilter(2);
        assertTrue(f.first("a"));
        assertFalse(f.first("a"));
        assertTrue(f.first("b"));
        assertTrue(f.first("c"));
        assertTrue(f.first("a"), "evicted after 2 newer keys");
        assertFalse(f.first("c"));
    }
}
