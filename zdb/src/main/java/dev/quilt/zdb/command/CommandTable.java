package dev.quilt.zdb.command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * 0-db's command table, in its order, with Quilt's additions at the end. Lookup is case-insensitive and by
 * prefix, first hit wins: {@code G} runs GET, {@code S} runs SET, {@code M} runs MIRROR. A sent name longer
 * than a table entry does not match it. Immutable.
 */
final class CommandTable {

    private final List<CommandSpec> specs;
    /** Upper-case ASCII names, parallel to {@code specs}: lookup compares bytes, allocating nothing. */
    private final byte[][] names;

    CommandTable(List<CommandSpec> specs) {
        this.specs = List.copyOf(specs);
        this.names = new byte[this.specs.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = this.specs.get(i).name().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The first entry the sent name is a case-insensitive prefix of, or null. */
    CommandSpec lookup(byte[] sent) {
        for (int i = 0; i < names.length; i++) {
            if (isPrefixIgnoringCase(sent, names[i])) {
                return specs.get(i);
            }
        }
        return null;
    }

    private static boolean isPrefixIgnoringCase(byte[] sent, byte[] upperName) {
        if (sent.length > upperName.length) {
            return false;
        }
        for (int i = 0; i < sent.length; i++) {
            int c = sent[i];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upperName[i]) {
                return false;
            }
        }
        return true;
    }

    List<CommandSpec> specs() {
        return specs;
    }
}
