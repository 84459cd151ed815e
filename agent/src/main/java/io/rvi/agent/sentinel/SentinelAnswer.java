package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;

/**
 * What one Sentinel said to {@code SENTINEL GET-MASTER-ADDR-BY-NAME}.
 *
 * @param master the address it names (kind {@link Kind#MASTER} only)
 * @param error  why there is no address (other kinds)
 */
public record SentinelAnswer(Kind kind, HostPort master, String error) {
    public enum Kind {
        /** named a master */
        MASTER,
        /** answered nil: it does not monitor that master name */
        UNKNOWN_MASTER,
        /** answered with an error (NOAUTH, not a Sentinel...) or something that is not an address */
        ERROR,
        /** could not be asked: connection refused, closed... */
        UNREACHABLE,
        /** no answer in time */
        TIMEOUT
    }

    public static SentinelAnswer master(HostPort address) {
        return new SentinelAnswer(Kind.MASTER, address, null);
    }

    public static SentinelAnswer unknownMaster() {
        return new SentinelAnswer(Kind.UNKNOWN_MASTER, null, "unknown master name");
    }

    public static SentinelAnswer failed(Kind kind, String error) {
        return new SentinelAnswer(kind, null, error);
    }

    /** {@code host:port}, or the kind and error ({@code timeout: no answer within 500 ms}). */
    @Override
    public String toString() {
        return kind == Kind.MASTER ? master.toString() : kind.name().toLowerCase() + ": " + error;
    }
}
