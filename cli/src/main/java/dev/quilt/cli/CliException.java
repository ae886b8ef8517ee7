package dev.quilt.cli;

import java.io.Serial;

/**
 * A failure the user can act on, with its exit code and a message printed as {@code error: <message>}
 * (no stack trace). Commands throw it; the root's error handler prints it.
 */
public final class CliException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A wrong value on the command line: exit {@link ExitCodes#INPUT}. */
    public static CliException input(String message) {
        return new CliException(ExitCodes.INPUT, message, null);
    }

    /** A server, port or directory that cannot be used: exit {@link ExitCodes#UNAVAILABLE}. */
    public static CliException unavailable(String message, Throwable cause) {
        return new CliException(ExitCodes.UNAVAILABLE, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
