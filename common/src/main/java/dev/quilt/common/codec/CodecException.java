package dev.quilt.common.codec;

/**
 * Input that is not the canonical encoding of a value: truncated, over a length limit,
 * non-canonical, or followed by trailing bytes. The message names the field and the byte offset.
 *
 * <p>Unchecked because decoding is nested many levels deep in codecs written as small lambdas;
 * the one place that takes bytes from outside (a network or disk boundary) catches it.
 */
public final class CodecException extends RuntimeException {
    private final String field;
    private final int offset;

    public CodecException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
        this.field = field;
        this.offset = offset;
    }

    /** The name of the field being read, as passed to the reader. */
    public String field() {
        return field;
    }

    /** The byte offset at which the field starts (or where the problem was found). */
    public int offset() {
        return offset;
    }
}
