package io.rvi.agent.redis;

/**
 * The outcome of one probe of a Redis or Sentinel port.
 *
 * @param connected a TCP connection was made: something listens on the port
 * @param answered  it sent a RESP reply to PING (an error reply such as {@code -LOADING} counts)
 * @param healthy   PING returned PONG
 * @param role      first element of the ROLE reply (master, slave, sentinel), or null
 * @param error     why it is not healthy, in words (never contains a secret), or null
 */
public record ProbeResult(boolean connected, boolean answered, boolean healthy, String role, String error) {

    public static ProbeResult down(String error) {
        return new ProbeResult(false, false, false, null, error);
    }

    public static ProbeResult silent(String error) {
        return new ProbeResult(true, false, false, null, error);
    }

    /** Whether something occupies the port (a Redis or anything else). */
    public boolean portInUse() {
        return connected || answered;
    }
}
