package dev.quilt.common.codec;

/**
 * Reads and writes one type in the canonical encoding described in this package's documentation.
 * Implementations are stateless and thread-safe. For every value {@code v},
 * {@code decode(encode(v)).equals(v)}, and for every byte array {@code b} that decodes,
 * {@code encode(decode(b))} equals {@code b}.
 */
public interface CanonicalCodec<T> {

    void write(T value, CanonicalWriter out);

    /** Reads one value; throws {@link CodecException} for non-canonical input. */
    T read(CanonicalReader in);

    default byte[] encode(T value) {
        CanonicalWriter out = new CanonicalWriter();
        write(value, out);
        return out.toByteArray();
    }

    /** Decodes a value that must fill {@code bytes} exactly. */
    default T decode(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes);
        T value = read(in);
        in.end();
        return value;
    }
}
