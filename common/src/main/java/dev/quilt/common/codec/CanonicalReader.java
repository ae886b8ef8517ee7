package dev.quilt.common.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads values in the canonical encoding from a byte array. Not thread-safe.
 *
 * <p>Every read names its field; every failure is a {@link CodecException} carrying that name and
 * the byte offset. Lengths and counts are checked against their declared limit, and against the
 * bytes actually left, before anything is allocated, so hostile input cannot make it allocate
 * more than the input's own size.
 */
public final class CanonicalReader {
    private final byte[] in;
    private int pos;

    public CanonicalReader(byte[] in) {
        this.in = in;
    }

    public int offset() {
        return pos;
    }

    public int remaining() {
        return in.length - pos;
    }

    public int u8(String field) {
        need(field, 1);
        return in[pos++] & 0xff;
    }

    public int int32(String field) {
        need(field, 4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (in[pos++] & 0xff);
        }
        return v;
    }

    public long int64(String field) {
        need(field, 8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[pos++] & 0xff);
        }
        return v;
    }

    /** An {@code int64} that must be ≥ 0 (amounts, ids, heights, seconds). */
    public long nonNegative(String field) {
        int at = pos;
        long v = int64(field);
        if (v < 0) {
            throw new CodecException(field, at, "negative value " + v);
        }
        return v;
    }

    public boolean bool(String field) {
        int at = pos;
        int b = u8(field);
        if (b > 1) {
            throw new CodecException(field, at, "boolean must be 00 or 01, got " + String.format("%02x", b));
        }
        return b == 1;
    }

    public byte[] fixed(String field, int length) {
        need(field, length);
        byte[] v = Arrays.copyOfRange(in, pos, pos + length);
        pos += length;
        return v;
    }

    public byte[] bytes(String field, int maxLength) {
        return fixed(field, length(field, maxLength, 1));
    }

    public String string(String field, int maxLength) {
        int at = pos;
        byte[] utf8 = bytes(field, maxLength);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(field, at, "malformed UTF-8");
        }
    }

    public <T> Optional<T> optional(String field, Function<CanonicalReader, T> element) {
        return bool(field) ? Optional.of(element.apply(this)) : Optional.empty();
    }

    /**
     * A list of at most {@code maxCount} elements. The count is also checked against the bytes
     * left, assuming each element takes at least one byte, before the list is allocated.
     */
    public <T> List<T> list(String field, int maxCount, Function<CanonicalReader, T> element) {
        int count = length(field, maxCount, 1);
        List<T> out = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            out.add(element.apply(this));
        }
        return List.copyOf(out);
    }

    /** Like {@link #list}, but the elements must be strictly ascending by {@code order}: the canonical form of a set or map. */
    public <T> List<T> sortedList(String field, int maxCount, Comparator<? super T> order,
                                  Function<CanonicalReader, T> element) {
        int at = pos;
        List<T> out = list(field, maxCount, element);
        for (int i = 1; i < out.size(); i++) {
            if (order.compare(out.get(i - 1), out.get(i)) >= 0) {
                throw new CodecException(field, at, "element " + i + " is not strictly ascending");
            }
        }
        return out;
    }

    /** Fails unless every byte was consumed. */
    public void end() {
        if (pos != in.length) {
            throw new CodecException("end", pos, (in.length - pos) + " trailing bytes");
        }
    }

    private int length(String field, int max, int minElementSize) {
        int at = pos;
        long length = int32(field) & 0xffffffffL;
        if (length > max) {
            throw new CodecException(field, at, "length " + length + " exceeds limit " + max);
        }
        if (length * minElementSize > remaining()) {
            throw new CodecException(field, at, "length " + length + " exceeds the " + remaining() + " bytes left");
        }
        return (int) length;
    }

    private void need(String field, int n) {
        if (n > remaining()) {
            throw new CodecException(field, pos, "truncated: need " + n + " bytes, " + remaining() + " left");
        }
    }
}
