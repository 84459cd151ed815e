package io.rvi.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.HostPort;
import org.junit.jupiter.api.Test;

class ReplicationInfoTest {
    static final String REPLICA = "# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:42\r\n\r\n# Replication\r\nrole:slave\r\n"
            + "master_host:127.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nmaster_last_io_seconds_ago:0\r\n"
            + "slave_read_repl_offset:1500\r\nslave_repl_offset:1500\r\nslave_priority:100\r\nconnected_slaves:0\r\n"
            + "master_replid:abc\r\nmaster_repl_offset:1500\r\n";
    static final String MASTER = "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
            + "slave0:ip=127.0.0.2,port=6379,state=online,offset=1500,lag=0\r\nmaster_repl_offset:2000\r\n";

    @Test
    void parsesAReplica() {
        ReplicationInfo r = ReplicationInfo.parse(REPLICA);
        assertTrue(r.isReplica());
        assertEquals("replica", r.roleName());
        assertEquals(new HostPort("127.0.0.1", 6379), r.master());
        assertTrue(r.masterLinkUp());
        assertEquals(1500, r.appliedOffset());
        assertEquals(42, r.uptimeSeconds());
    }

    @Test
    void parsesAMaster() {
        ReplicationInfo r = ReplicationInfo.parse(MASTER);
        assertTrue(r.isMaster());
        assertNull(r.master());
        assertFalse(r.masterLinkUp());
        assertEquals(2000, r.masterReplOffset());
        assertEquals(2, r.connectedSlaves());
        assertEquals(-1, r.uptimeSeconds());
    }

    @Test
    void linkDownAndNoRole() {
        assertFalse(ReplicationInfo.parse(REPLICA.replace("master_link_status:up", "master_link_status:down")).masterLinkUp());
        assertThrows(IllegalArgumentException.class, () -> ReplicationInfo.parse("# Replication\r\n"));
    }
}
