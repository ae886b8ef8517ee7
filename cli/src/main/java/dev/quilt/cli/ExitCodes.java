package dev.quilt.cli;

/**
 * What {@code quilt} exits with, so scripts can tell a typo from a dead server.
 * The values follow picocli's usage code and BSD {@code sysexits.h}'s software error.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The command ran, and what it found is not healthy: {@code quilt zstor check} with a degraded or lost object. */
    public static final int UNHEALTHY = 1;
    /** The command line does not parse: unknown flag, missing value, unknown subcommand. */
    public static final int USAGE = 2;
    /** The command line parses but a value is wrong: a size out of range, flags that exclude each other. */
    public static final int INPUT = 3;
    /** Something outside is unavailable or refused: a server, a port, locked directories, a disk. */
    public static final int UNAVAILABLE = 4;
    /** A bug: anything not foreseen above. */
    public static final int INTERNAL = 70;

    private ExitCodes() { }
}
