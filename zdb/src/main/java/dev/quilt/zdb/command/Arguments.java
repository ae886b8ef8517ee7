package dev.quilt.zdb.command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Typed access to a request's arguments; index 0 is the command name. Immutable. */
final class Arguments {

    private final List<byte[]> args;

    Arguments(List<byte[]> args) {
        this.args = args;
    }

    int count() {
        return args.size();
    }

    byte[] bytes(int index) {
        return args.get(index);
    }

    int length(int index) {
        return args.get(index).length;
    }

    boolean isEmpty(int index) {
        return args.get(index).length == 0;
    }

    /** The argument as UTF-8 text. */
    String string(int index) {
        return new String(args.get(index), StandardCharsets.UTF_8);
    }

    /** True when the argument is a non-empty, case-insensitive prefix of {@code word} (0-db's keyword matching). */
    boolean isPrefixOf(int index, String word) {
        String text = string(index);
        return text.length() <= word.length() && word.regionMatches(true, 0, text, 0, text.length());
    }

    /**
     * The argument read like C's {@code atoll}: optional spaces and sign, then leading digits; anything else
     * stops the number (so "abc" is 0).
     */
    long atoll(int index) {
        String text = string(index).strip();
        int i = 0;
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long value = 0;
        for (; i < text.length() && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128; i++) {
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (text.charAt(i) - '0');
        }
        return negative ? -value : value;
    }

    String upperName() {
        return string(0).toUpperCase(Locale.ROOT);
    }
}
