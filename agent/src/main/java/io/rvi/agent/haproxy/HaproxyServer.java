package io.rvi.agent.haproxy;

/**
 * One server line of {@code show servers state BE}.
 *
 * @param opState    {@code srv_op_state}: 0 stopped (down), 1 starting, 2 running (up), 3 stopping
 * @param adminState {@code srv_admin_state}: bit field, 0x01 forced maint, 0x02 inherited maint,
 *                   0x04 maint from config, 0x08 forced drain, 0x10 inherited drain, 0x20 maint by DNS
 *                   resolution, 0x40 maint by configured hostname
 */
public record HaproxyServer(String backend, String server, String address, int port, int opState, int adminState,
                            int checkHealth) {
    private static final int MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
    private static final int DRAIN_BITS = 0x08 | 0x10;

    /** In maintenance for any reason: gets no traffic. */
    public boolean maint() {
        return (adminState & MAINT_BITS) != 0;
    }

    public boolean drain() {
        return (adminState & DRAIN_BITS) != 0;
    }

    /** Running as far as health checks (or {@code set server health}) say. */
    public boolean up() {
        return opState == 2;
    }

    /** Would receive new connections: up, not in maintenance, not draining. */
    public boolean routable() {
        return up() && !maint() && !drain();
    }
}
