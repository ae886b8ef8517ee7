package dev.quilt.zdb.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CommandTableTest {

    /** 0-db's table order, where order decides what a short prefix runs. */
    private static final List<String> NAMES = List.of("*", "WAIT", "MIRROR", "MASTER", "PING", "TIME", "AUTH", "HOOKS",
            "INDEX", "DATA", "SET", "SETX", "GET", "MGET", "DEL", "EXISTS", "CHECK", "SCAN", "SCANX", "RSCAN", "KSCAN",
            "HISTORY", "KEYCUR", "LENGTH", "KEYTIME", "INFO", "STOP", "DBSIZE", "NSNEW", "NSDEL", "NSLIST", "NSSET",
            "NSINFO", "NSJUMP", "SELECT", "RELOAD", "FLUSH", "COMPACT", "ECHO");

    private static final CommandTable TABLE =
            new CommandTable(NAMES.stream().map(n -> new CommandSpec(n, false, (s, a) -> null)).toList());

    /** The definition: the first name, in table order, that the sent bytes are a case-insensitive prefix of. */
    private static String byScan(byte[] sent) {
        String text = new String(sent, StandardCharsets.ISO_8859_1);
        for (String name : NAMES) {
            if (text.length() <= name.length() && text.chars().allMatch(c -> c < 128)
                    && name.startsWith(text.toUpperCase(Locale.ROOT))) {
                return name;
            }
        }
        return null;
    }

    @Provide
    Arbitrary<byte[]> sentNames() {
        Arbitrary<byte[]> prefixes = Arbitraries.of(NAMES).flatMap(name -> Arbitraries.integers().between(0, name.length())
                .flatMap(cut -> Arbitraries.of(true, false).list().ofSize(cut).map(lower -> {
                    byte[] bytes = name.substring(0, cut).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < bytes.length; i++) {
                        if (lower.get(i)) {
                            bytes[i] = (byte) Character.toLowerCase(bytes[i]);
                        }
                    }
                    return bytes;
                })));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
        Arbitrary<byte[]> longer = Arbitraries.of(NAMES).map(name -> (name + "X").getBytes(StandardCharsets.US_ASCII));
        return Arbitraries.oneOf(prefixes, random, longer);
    }

    @Property
    void findsTheFirstEntryTheNameIsAPrefixOf(@ForAll("sentNames") byte[] sent) {
        CommandSpec found = TABLE.lookup(sent);
        assertThat(found == null ? null : found.name()).isEqualTo(byScan(sent));
    }

    @Property(tries = 1)
    void shortPrefixesRunWhat0dbRuns() {
        assertThat(TABLE.lookup(bytes("g")).name()).isEqualTo("GET");
        assertThat(TABLE.lookup(bytes("S")).name()).isEqualTo("SET");
        assertThat(TABLE.lookup(bytes("m")).name()).isEqualTo("MIRROR");
        assertThat(TABLE.lookup(bytes("")).name()).isEqualTo("*");
        assertThat(TABLE.lookup(bytes("GETX"))).isNull();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
