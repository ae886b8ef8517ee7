package dev.quilt.common.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Appends values in the canonical encoding. Not thread-safe. The writer enforces the same limits
 * the reader does, so a value that encodes always decodes: an over-limit value is the caller's
 * bug and fails with {@link IllegalArgumentException}.
 */
public final class CanonicalWriter {
    private byte[] buf = new byte[64];
    private int size;

    public CanonicalWriter u8(int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + value);
        }
        ensure(1);
        buf[size++] = (byte) value;
        return this;
    }

    public CanonicalWriter int32(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public CanonicalWriter int64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public CanonicalWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    /** Exactly {@code length} bytes with no length prefix, for hashes, keys and signatures. */
    public CanonicalWriter fixed(byte[] value, int length) {
        if (value.length != length) {
            throw new IllegalArgumentException("expected " + length + " bytes, got " + value.length);
        }
        return raw(value);
    }

    /** A 4-byte length, then the bytes. */
    public CanonicalWriter bytes(byte[] value, int maxLength) {
        if (value.length > maxLength) {
            throw new IllegalArgumentException("byte string of " + value.length + " bytes exceeds limit " + maxLength);
        }
        int32(value.length);
        return raw(value);
    }

    /** UTF-8 with a 4-byte length; {@code maxLength} counts bytes, not characters. */
    public CanonicalWriter string(String value, int maxLength) {
        return bytes(value.getBytes(StandardCharsets.UTF_8), maxLength);
    }

    public <T> CanonicalWriter optional(Optional<T> value, BiConsumer<CanonicalWriter, T> element) {
        bool(value.isPresent());
        value.ifPresent(v -> element.accept(this, v));
        return this;
    }

    /** A 4-byte count, then the elements in the order given; sorted collections must be passed sorted. */
    public <T> CanonicalWriter list(List<T> values, int maxCount, BiConsumer<CanonicalWriter, T> element) {
        if (values.size() > maxCount) {
            throw new IllegalArgumentException("list of " + values.size() + " exceeds limit " + maxCount);
        }
        int32(values.size());
        for (T v : values) {
            element.accept(this, v);
        }
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private CanonicalWriter raw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        return this;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
