package io.rvi.common;

/**
 * Every way a program of rvi can end at startup, each with its own exit code, so that systemd
 * ({@code RestartPreventExitStatus=}) and scripts can tell them apart.
 */
public enum ExitCode {
    OK(0, "ok"),
    INTERNAL(1, "internal error"),
    CONFIG(2, "invalid configuration"),
    PORT_IN_USE(3, "a listening port is already in use"),
    MISSING_BINARY(4, "a configured binary is missing or not executable"),
    STATE_DIR(5, "a state, log or data directory cannot be created or written"),
    ALREADY_RUNNING(6, "another instance holds the state directory lock"),
    USAGE(64, "bad command line");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
