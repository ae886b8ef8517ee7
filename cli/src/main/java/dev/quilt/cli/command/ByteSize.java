package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as 0-db's flags write them: a number, decimals allowed, with an optional {@code k}, {@code M},
 * {@code G} or {@code T} suffix meaning powers of 1024 (either case). {@code 1.5M} is 1572864 bytes;
 * fractions of a byte are dropped.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([kKmMgGtT]?)[bB]?");

    private ByteSize() { }

    /** The number of bytes {@code text} stands for; {@code flag} names the option in the error. */
    public static long parse(String flag, String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw CliException.input(flag + ": '" + text
                    + "' is not a size (expected: bytes with an optional k, M, G or T suffix, e.g. 512k or 1.5G)");
        }
        int power = switch (Character.toLowerCase(m.group(2).isEmpty() ? ' ' : m.group(2).charAt(0))) {
            case 'k' -> 1;
            case 'm' -> 2;
            case 'g' -> 3;
            case 't' -> 4;
            default -> 0;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw CliException.input(flag + ": '" + text + "' is too large");
        }
        return bytes.longValue();
    }
}
