package dev.quilt.zdb.command;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * 0-db's command table, in its order, with Quilt's additions at the end. Lookup is case-insensitive and by
 * prefix, first hit wins: {@code G} runs GET, {@code S} runs SET, {@code M} runs MIRROR. A sent name longer
 * than a table entry does not match it. Immutable.
 */
final class CommandTable {

    private final List<CommandSpec> specs;

    CommandTable(List<CommandSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /** The first entry the sent name is a case-insensitive prefix of, or null. */
    CommandSpec lookup(byte[] sent) {
        String name = new String(sent, StandardCharsets.ISO_8859_1);
        for (CommandSpec spec : specs) {
            if (name.length() <= spec.name().length() && spec.name().regionMatches(true, 0, name, 0, name.length())) {
                return spec;
            }
        }
        return null;
    }

    List<CommandSpec> specs() {
        return specs;
    }
}
