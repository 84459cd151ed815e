package io.rvi.agent.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.core.ActionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies captured from haproxy 2.6.12. */
class HaproxyRepliesTest {
    static final String STATE = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight "
            + "srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state "
            + "bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr "
            + "srv_agent_port\n"
            + "3 be 1 r1 127.0.0.1 2 8 1 1 0 8 2 2 6 0 0 0 - 16001 - 0 0 - - 0\n"
            + "3 be 2 r2 127.0.0.1 2 0 1 1 3 1 0 4 0 0 0 0 - 16002 - 0 0 - - 0\n"
            + "3 be 3 r3 127.0.0.1 0 1 1 1 3 1 0 4 0 0 0 0 - 16003 - 0 0 - - 0\n\n";

    @Test
    void parsesShowServersState() {
        List<HaproxyServer> s = HaproxyReplies.serversState("show servers state be", STATE);
        assertEquals(3, s.size());
        assertEquals(new HaproxyServer("be", "r1", "127.0.0.1", 16001, 2, 8, 2), s.get(0));
        assertTrue(s.get(0).drain());
        assertFalse(s.get(0).routable());
        assertTrue(s.get(1).routable());
        assertTrue(s.get(2).maint());
        assertFalse(s.get(2).up());
    }

    @Test
    void emptyBackendIsAnEmptyList() {
        String header = STATE.substring(0, STATE.indexOf("\n3 be 1"));
        assertEquals(List.of(), HaproxyReplies.serversState("show servers state be", header + "\n\n"));
    }

    @Test
    void errorsCarryHaproxysExactReply() {
        HaproxyRefused e = assertThrows(HaproxyRefused.class,
                () -> HaproxyReplies.serversState("show servers state bX", "Can't find backend.\n\n"));
        assertEquals("Can't find backend.", e.reply());
        assertTrue(e.getMessage().contains("show servers state bX"), e.getMessage());
        assertTrue(e instanceof ActionSpec.NotRetryable);
        e = assertThrows(HaproxyRefused.class, () -> HaproxyReplies.expectEmpty("set server be/rX state maint", "No such server.\n\n"));
        assertEquals("No such server.", e.reply());
        e = assertThrows(HaproxyRefused.class, () -> HaproxyReplies.expectEmpty("set server be/r1 state maint", "Permission denied\n\n"));
        assertEquals("Permission denied", e.reply());
        HaproxyReplies.expectEmpty("set server be/r1 state maint", "\n");
        HaproxyReplies.expectEmpty("x", "");
    }

    @Test
    void rejectsATruncatedTable() {
        String cut = STATE.substring(0, STATE.indexOf(" 16001"));
        assertThrows(HaproxyRefused.class, () -> HaproxyReplies.serversState("show servers state be", cut));
    }
}
