package dev.quilt.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets log levels from {@code -v}: none shows warnings, {@code -v} Quilt's info, {@code -vv} Quilt's debug,
 * {@code -vvv} debug of the libraries too (Netty...), {@code -vvvv} everything. The format is in
 * {@code logback.xml}: one line per event on stderr, {@code time level logger message key=value ...}.
 */
final class Logging {
    private static final String QUILT = "dev.quilt";

    private Logging() { }

    static void configure(int verbosity) {
        Level quilt = switch (verbosity) {
            case 0 -> Level.WARN;
            case 1 -> Level.INFO;
            case 2, 3 -> Level.DEBUG;
            default -> Level.TRACE;
        };
        Level libraries = verbosity >= 4 ? Level.TRACE : verbosity == 3 ? Level.DEBUG : Level.WARN;
        if (LoggerFactory.getLogger(QUILT) instanceof Logger logger) {
            logger.setLevel(quilt);
        }
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(libraries);
        }
    }
}
