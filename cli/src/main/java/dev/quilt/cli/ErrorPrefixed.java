package dev.quilt.cli;

/**
 * A command whose errors, and those of its subcommands, start with its own prefix instead of {@code error:}:
 * {@code quilt zstor: no object stored under key "a"}, so a script's log says which tool failed.
 */
public interface ErrorPrefixed {
    /** The words before the colon, for example {@code quilt zstor}. */
    String errorPrefix();
}
