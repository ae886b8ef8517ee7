/**
 * Canonical binary encoding: exactly one byte sequence per value, for everything that is signed or
 * hashed.
 *
 * <p>Start with {@link dev.quilt.common.codec.CanonicalCodec}; values are written with
 * {@link dev.quilt.common.codec.CanonicalWriter} and read back with
 * {@link dev.quilt.common.codec.CanonicalReader}, which rejects anything non-canonical with a
 * {@link dev.quilt.common.codec.CodecException} naming the field and byte offset.
 *
 * <h2>The canonical rule</h2>
 * <ul>
 *   <li>Integers are fixed width, big-endian, two's complement: {@code u8} (1 byte), {@code int32}
 *       (4), {@code int64} (8). Fixed width is chosen over varints because it has no
 *       "non-minimal" forms to reject: every byte pattern of the right length is the one encoding of
 *       its value.</li>
 *   <li>Booleans are one byte, {@code 00} or {@code 01}; anything else is rejected.</li>
 *   <li>Byte strings and UTF-8 strings are a 4-byte big-endian length, then the bytes. Each field
 *       declares a maximum length, checked by the writer and checked by the reader <em>before</em>
 *       it allocates. Strings must be well-formed UTF-8 (so decoding and re-encoding give the same
 *       bytes).</li>
 *   <li>Optional values are a presence byte ({@code 00} absent, {@code 01} present), then the
 *       value.</li>
 *   <li>Lists are a 4-byte count (with a declared maximum), then the elements. Sets and maps are
 *       lists sorted strictly ascending by key; the reader rejects unsorted or repeated keys.</li>
 *   <li>A value fills its input exactly: trailing bytes are rejected.</li>
 * </ul>
 */
package dev.quilt.common.codec;
