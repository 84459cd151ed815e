package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SupervisionSystemdStatusTest {
    @Test
    void parsesShowOutput() {
        SystemdStatus s = SystemdStatus.parse("ActiveState=active\nSubState=running\nMainPID=1234\nNRestarts=2\nResult=success\n");
        assertEquals("active", s.activeState());
        assertEquals("running", s.subState());
        assertEquals(1234, s.mainPid());
        assertEquals(2, s.nRestarts());
        assertEquals("running", s.processState());
        assertFalse(s.needsRestart());
        assertEquals("active/running", s.describe());
    }

    @Test
    void toleratesOrderCrlfUnknownKeysAndUnsetValues() {
        SystemdStatus s = SystemdStatus.parse("Result=exit-code\r\nFoo=bar\r\nMainPID=0\r\nNRestarts=[not set]\r\nActiveState=failed\r\nSubState=failed");
        assertEquals("failed", s.processState());
        assertTrue(s.needsRestart());
        assertEquals(0, s.mainPid());
        assertEquals(0, s.nRestarts());
        assertEquals("failed/failed (result exit-code)", s.describe());
    }

    @Test
    void mapsEveryActiveState() {
        assertEquals("starting", state("activating"));
        assertEquals("running", state("reloading"));
        assertEquals("stopped", state("deactivating"));
        assertEquals("stopped", state("inactive"));
        assertEquals("unknown", state("maintenance"));
        assertTrue(SystemdStatus.parse("ActiveState=inactive").needsRestart());
        assertFalse(SystemdStatus.parse("ActiveState=activating").needsRestart());
        assertFalse(SystemdStatus.parse("ActiveState=deactivating").needsRestart());
    }

    @Test
    void rejectsOutputWithoutActiveState() {
        assertThrows(IllegalArgumentException.class, () -> SystemdStatus.parse("Unit redis.service could not be found."));
        assertThrows(IllegalArgumentException.class, () -> SystemdStatus.parse(""));
    }

    private static String state(String active) {
        return SystemdStatus.parse("ActiveState=" + active).processState();
    }
}
