package dev.quilt.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the log level from {@code -v}. The format is in {@code logback.xml}: one line per event on stderr,
 * {@code time level logger message key=value ...}.
 */
final class Logging {
    private Logging() { }

    static void configure(int verbosity) {
        Level level = switch (verbosity) {
            case 0 -> Level.WARN;
            case 1 -> Level.INFO;
            case 2 -> Level.DEBUG;
            default -> Level.TRACE;
        };
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
        }
    }
}
