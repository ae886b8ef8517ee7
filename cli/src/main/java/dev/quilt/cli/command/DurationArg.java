package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: a whole number with a unit, {@code ms}, {@code s}, {@code m} or {@code h}. */
final class DurationArg {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private DurationArg() { }

    static Duration parse(String flag, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw CliException.input(flag + ": '" + text + "' is not a duration (expected: a number with ms, s, m or h, e.g. 500ms or 10m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
