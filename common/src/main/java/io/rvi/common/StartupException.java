package io.rvi.common;

/** A failure before the program is ready; carries the exit code the process ends with. */
public class StartupException extends RuntimeException {
    private final ExitCode exitCode;

    public StartupException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public StartupException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
