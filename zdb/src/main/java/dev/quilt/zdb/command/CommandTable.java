package dev.quilt.zdb.command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * 0-db's command table, in its order, with Quilt's additions at the end. Lookup is case-insensitive and by
 * prefix, first hit wins: {@code G} runs GET, {@code S} runs SET, {@code M} runs MIRROR. A sent name longer
 * than a table entry does not match it. Immutable.
 */
final class CommandTable {

    private final List<CommandSpec> specs;
    /** Upper-case ASCII names, parallel to {@code specs}: lookup compares bytes, allocating nothing. */
    private final byte[][] names;
    /**
     * For each upper-cased first byte, the indexes of the entries starting with it, in table order: a lookup
     * compares against those few, not the whole table, and still finds the first hit.
     */
    private final int[][] byFirstByte = new int[256][];
    /** An empty name is a prefix of every entry, so it gets the first, as a scan of the whole table would. */
    private final int[] firstEntry;

    CommandTable(List<CommandSpec> specs) {
        this.specs = List.copyOf(specs);
        this.names = new byte[this.specs.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = this.specs.get(i).name().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        for (int b = 0; b < byFirstByte.length; b++) {
            int first = b;
            byFirstByte[b] = IntStream.range(0, names.length)
                    .filter(i -> names[i].length > 0 && (names[i][0] & 0xFF) == first).toArray();
        }
        this.firstEntry = names.length == 0 ? new int[0] : new int[] {0};
    }

    /** The first entry the sent name is a case-insensitive prefix of, or null. */
    CommandSpec lookup(byte[] sent) {
        int[] candidates = sent.length == 0 ? firstEntry : byFirstByte[upper(sent[0])];
        for (int i : candidates) {
            if (isPrefixIgnoringCase(sent, names[i])) {
                return specs.get(i);
            }
        }
        return null;
    }

    private static int upper(byte b) {
        int c = b & 0xFF;
        return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
    }

    private static boolean isPrefixIgnoringCase(byte[] sent, byte[] upperName) {
        if (sent.length > upperName.length) {
            return false;
        }
        for (int i = 0; i < sent.length; i++) {
            if (upper(sent[i]) != (upperName[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    List<CommandSpec> specs() {
        return specs;
    }
}
