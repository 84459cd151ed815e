package io.rvi.agent.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.haproxy.HaproxyCommands.AdminState;
import io.rvi.common.config.HostPort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HaproxyCommandsTest {
    @Test
    void buildsTheVerifiedCommands() {
        assertEquals("set server redis_write/redis1 state ready", HaproxyCommands.setState("redis_write", "redis1", AdminState.READY));
        assertEquals("set server redis_write/redis2 state maint", HaproxyCommands.setState("redis_write", "redis2", AdminState.MAINT));
        assertEquals("set server be/s state drain", HaproxyCommands.setState("be", "s", AdminState.DRAIN));
        assertEquals("set server be/s health up", HaproxyCommands.setHealth("be", "s", true));
        assertEquals("set server be/s health down", HaproxyCommands.setHealth("be", "s", false));
        assertEquals("shutdown sessions server be/s", HaproxyCommands.shutdownSessions("be", "s"));
        assertEquals("show servers state redis_write", HaproxyCommands.showServersState("redis_write"));
    }

    @Test
    void refusesNamesThatCouldCarryAnotherCommand() {
        for (String bad : new String[] {"be; shutdown sessions server x/y", "be\nset", "be s", "", "a/b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HaproxyCommands.setState(bad, "s", AdminState.MAINT), bad);
            assertTrue(e.getMessage().contains("backend"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HaproxyCommands.shutdownSessions("be", null));
    }

    @Test
    void runtimeApiTargetIsAPathOrHostPort() {
        assertEquals(Path.of("/run/haproxy/admin.sock"), RuntimeApiTarget.parse("/run/haproxy/admin.sock").unixPath());
        assertEquals(Path.of("/run/h.sock"), RuntimeApiTarget.parse("unix@/run/h.sock").unixPath());
        assertEquals(new HostPort("127.0.0.1", 9999), RuntimeApiTarget.parse("127.0.0.1:9999").tcp());
        assertEquals(new HostPort("127.0.0.1", 9999), RuntimeApiTarget.parse("ipv4@127.0.0.1:9999").tcp());
        assertTrue(RuntimeApiTarget.parse("./admin.sock").unix());
        assertThrows(IllegalArgumentException.class, () -> RuntimeApiTarget.parse(" "));
    }
}
