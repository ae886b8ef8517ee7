package dev.quilt.zdb.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RESP2 replies from a blocking stream into plain Java values.
 *
 * <p>Mapping: {@code +text} → {@link String}; {@code -text} → {@link ErrorReply}; {@code :n} → {@link Long};
 * {@code $n} → {@code byte[]}; {@code $-1} and {@code *-1} → {@code null}; {@code *n} → {@link List} of these.
 *
 * <p>Limits: every length is checked before anything is allocated, and arrays are never pre-sized from
 * the length the peer declares. A violation is an {@link IOException}: the stream cannot be trusted any
 * more and the connection is dropped.
 *
 * <p>Not thread-safe; confined to the thread that holds the connection.
 */
final class RespReader {
    /** Longest status, error or integer line: far above any line 0-db or Redis sends. */
    static final int MAX_LINE = 64 * 1024;
    /** Largest bulk string: 0-db caps values at 8 MiB; INFO and NSINFO are small. */
    static final int MAX_BULK = 64 * 1024 * 1024;
    /** Most elements in one array: MGET is capped at 1023 keys, SCAN batches are time-sliced. */
    static final int MAX_ARRAY = 1 << 20;
    /** Deepest array nesting: SCAN replies nest three levels. */
    static final int MAX_DEPTH = 8;

    private final InputStream in;
    private final String peer;
    private final byte[] line = new byte[MAX_LINE];

    RespReader(InputStream in, String peer) {
        this.in = in;
        this.peer = peer;
    }

    /** Reads one complete reply. */
    Object read() throws IOException {
        return read(0);
    }

    private Object read(int depth) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by " + peer);
        }
        return switch (type) {
            case '+' -> readLine();
            case '-' -> new ErrorReply(readLine());
            case ':' -> parseLong(readLine());
            case '$' -> readBulk();
            case '*' -> readArray(depth);
            default -> throw malformed("unknown reply type byte 0x" + Integer.toHexString(type));
        };
    }

    private byte[] readBulk() throws IOException {
        long length = parseLong(readLine());
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_BULK) {
            throw malformed("bulk length " + length + " (expected: -1 .. " + MAX_BULK + ")");
        }
        byte[] value = in.readNBytes((int) length);
        if (value.length != length) {
            throw new EOFException("connection closed by " + peer + " inside a bulk string of " + length + " bytes");
        }
        if (in.read() != '\r' || in.read() != '\n') {
            throw malformed("bulk string of " + length + " bytes not followed by CRLF");
        }
        return value;
    }

    private List<Object> readArray(int depth) throws IOException {
        long count = parseLong(readLine());
        if (count == -1) {
            return null;
        }
        if (count < 0 || count > MAX_ARRAY) {
            throw malformed("array length " + count + " (expected: -1 .. " + MAX_ARRAY + ")");
        }
        if (depth >= MAX_DEPTH) {
            throw malformed("arrays nested deeper than " + MAX_DEPTH);
        }
        List<Object> items = new ArrayList<>((int) Math.min(count, 64));
        for (long i = 0; i < count; i++) {
            items.add(read(depth + 1));
        }
        return items;
    }

    private String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by " + peer + " inside a reply line");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw malformed("CR not followed by LF");
                }
                return new String(line, 0, n, StandardCharsets.UTF_8);
            }
            if (n == MAX_LINE) {
                throw malformed("reply line longer than " + MAX_LINE + " bytes");
            }
            line[n++] = (byte) b;
        }
    }

    private long parseLong(String text) throws IOException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw malformed("not an integer: \"" + text + "\"");
        }
    }

    private IOException malformed(String what) {
        return new IOException("malformed reply from " + peer + ": " + what);
    }
}
