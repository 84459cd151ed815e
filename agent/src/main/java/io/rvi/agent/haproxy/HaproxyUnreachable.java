package io.rvi.agent.haproxy;

/**
 * The runtime API could not be asked: socket missing, permission denied, connection refused, or no
 * complete answer in time. Worth retrying (HAProxy may be restarting).
 */
public final class HaproxyUnreachable extends RuntimeException {
    private final boolean timeout;

    public HaproxyUnreachable(String message, boolean timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    public boolean timeout() {
        return timeout;
    }
}
