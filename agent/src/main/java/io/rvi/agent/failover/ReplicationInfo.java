package io.rvi.agent.failover;

import io.rvi.common.config.HostPort;
import java.util.HashMap;
import java.util.Map;

/**
 * What a Redis says about itself in {@code INFO server replication}.
 *
 * @param role             "master" or "slave"
 * @param master           for a replica: the master it follows ({@code master_host:master_port}), else null
 * @param masterLinkUp     for a replica: {@code master_link_status:up}
 * @param masterReplOffset {@code master_repl_offset} (on a master: its write offset; on a replica: what it has)
 * @param slaveReplOffset  {@code slave_repl_offset} on a replica (-1 when absent)
 * @param uptimeSeconds    {@code uptime_in_seconds} (-1 when the server section was not asked for)
 */
public record ReplicationInfo(String role, HostPort master, boolean masterLinkUp, long masterReplOffset, long slaveReplOffset,
                              int connectedSlaves, long uptimeSeconds) {

    public boolean isMaster() {
        return "master".equals(role);
    }

    public boolean isReplica() {
        return "slave".equals(role) || "replica".equals(role);
    }

    /** The role as rvi names it: master, replica, or the raw value. */
    public String roleName() {
        return isReplica() ? "replica" : role;
    }

    /** What the replica has applied: {@code slave_repl_offset}, else {@code master_repl_offset}. */
    public long appliedOffset() {
        return slaveReplOffset >= 0 ? slaveReplOffset : masterReplOffset;
    }

    /** Parses the text of {@code INFO} (any sections; only known fields are read). */
    public static ReplicationInfo parse(String info) {
        Map<String, String> f = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int i = line.indexOf(':');
            if (i > 0 && !line.startsWith("#")) {
                f.put(line.substring(0, i), line.substring(i + 1).strip());
            }
        }
        String role = f.get("role");
        if (role == null) {
            throw new IllegalArgumentException("INFO reply has no role field");
        }
        HostPort master = null;
        if (f.containsKey("master_host") && f.containsKey("master_port")) {
            master = HostPort.parseOrNull(f.get("master_host") + ":" + f.get("master_port"));
        }
        return new ReplicationInfo(role, master, "up".equals(f.get("master_link_status")), num(f, "master_repl_offset"),
                num(f, "slave_repl_offset"), (int) Math.max(0, num(f, "connected_slaves")), num(f, "uptime_in_seconds"));
    }

    private static long num(Map<String, String> f, String key) {
        try {
            return Long.parseLong(f.getOrDefault(key, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
