package dev.quilt.zdb.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One RESP2 value, as the server sends it and a client receives it. A closed set: switch over it
 * exhaustively.
 */
public sealed interface RespValue {

    /** {@code +OK} */
    SimpleString OK = new SimpleString("OK");

    /** {@code $-1}: 0-db's only nil (it never sends {@code *-1}). */
    Bulk NIL = new Bulk(null);

    /** {@code +text}; the text must not contain CR or LF. */
    record SimpleString(String value) implements RespValue {
        public SimpleString {
            requireLine(value);
        }
    }

    /** {@code -message}; 0-db sends no {@code ERR} prefix. */
    record Error(String message) implements RespValue {
        public Error {
            requireLine(message);
        }
    }

    /** {@code :n} */
    record Integer(long value) implements RespValue { }

    /** {@code $len bytes}; {@code bytes == null} is nil ({@code $-1}). */
    record Bulk(byte[] bytes) implements RespValue {
        public boolean isNil() {
            return bytes == null;
        }

        /** The bytes as UTF-8 text, or null for nil. */
        public String utf8() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return bytes == null ? "Bulk[nil]" : "Bulk[" + new String(bytes, StandardCharsets.ISO_8859_1) + "]";
        }
    }

    /** {@code *n elements}; {@code elements == null} is a nil array ({@code *-1}, only ever decoded). */
    record Array(List<RespValue> elements) implements RespValue {
        public Array {
            elements = elements == null ? null : List.copyOf(elements);
        }
    }

    static SimpleString simple(String value) {
        return new SimpleString(value);
    }

    static Error error(String message) {
        return new Error(message);
    }

    static Integer integer(long value) {
        return new Integer(value);
    }

    static Bulk bulk(byte[] bytes) {
        return new Bulk(bytes);
    }

    static Bulk bulk(String text) {
        return new Bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    static Array array(List<? extends RespValue> elements) {
        return new Array(List.copyOf(elements));
    }

    static Array array(RespValue... elements) {
        return new Array(List.of(elements));
    }

    private static void requireLine(String text) {
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line contains CR or LF: " + text.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }
}
