package dev.quilt.zstor.meta;

import dev.quilt.zstor.config.MasterKey;
import dev.quilt.zstor.meta.MetadataRecord.ShardLocation;
import dev.quilt.zstor.meta.MetadataRecord.StripeInfo;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The stored form of a {@link MetadataRecord}: a canonical binary encoding, sealed with the master
 * key. Stateless and thread-safe.
 *
 * <h2>Plaintext, version 1</h2>
 * (Version 1 has not been released; its layout changed in place when generations, tombstones and
 * pending shards were added.)
 * Big-endian, no padding; one record has exactly one encoding, and decoding refuses anything else
 * (trailing bytes, invalid UTF-8, counts that do not match). Golden vectors live in
 * {@code src/test/resources/vectors/}.
 * <pre>
 * u8   version = 0x01
 * u8   objectId length L (1..255), then L bytes
 * u64  generation
 * u8   kind: 0x00 object, 0x01 tombstone (a tombstone ends here)
 * u64  shardGeneration (the generation in the shards' keys)
 * u64  size (plaintext bytes)
 * u32  stripeSize
 * u8   k (dataShards), u8 m (parityShards); n = k + m <= 255
 * u16  wrappedKey length, then its bytes
 * 32   contentDigest (SHA-256 of the plaintext)
 * n x  { u16 address length, UTF-8 address; u16 namespace length, UTF-8 namespace (may be 0);
 *        u8 state: 0x00 stored, 0x01 pending }
 * S x  { u32 sealedLength; u8 flags; n x 16-byte shard checksum }   S = ceil(size / stripeSize)
 * </pre>
 *
 * <h2>Sealed</h2>
 * {@code [u8 0x01][12-byte random nonce][AES-256-GCM(master key, plaintext) || 16-byte tag]}, with
 * associated data {@code "quilt-zstor-meta" || 0x01}. A random nonce is safe here: at 2^32 records
 * under one master key the chance of a repeat is about 2^-33.
 *
 * <h2>Limits</h2>
 * Every length is checked against the bytes that remain before anything is allocated.
 */
public final class MetadataCodec {

    /** Plaintext format version. */
    public static final byte VERSION = 1;
    private static final byte SEALED_VERSION = 1;
    private static final int KIND_OBJECT = 0;
    private static final int KIND_TOMBSTONE = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final byte[] CONTEXT = "quilt-zstor-meta\u0001".getBytes(StandardCharsets.US_ASCII);

    private MetadataCodec() {
    }

    /** The canonical plaintext encoding. */
    public static byte[] encode(MetadataRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + r.stripes().size() * (5 + 16 * r.totalShards()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            byte[] id = r.objectId();
            out.writeByte(id.length);
            out.write(id);
            out.writeLong(r.generation());
            out.writeByte(r.tombstone() ? KIND_TOMBSTONE : KIND_OBJECT);
            if (r.tombstone()) {
                return bytes.toByteArray();
            }
            out.writeLong(r.shardGeneration());
            out.writeLong(r.size());
            out.writeInt(r.stripeSize());
            out.writeByte(r.dataShards());
            out.writeByte(r.parityShards());
            byte[] key = r.wrappedKey();
            out.writeShort(key.length);
            out.write(key);
            out.write(r.contentDigest());
            for (ShardLocation s : r.shards()) {
                writeString(out, s.address(), "address");
                writeString(out, s.namespace(), "namespace");
                out.writeByte(s.pending() ? 1 : 0);
            }
            for (StripeInfo s : r.stripes()) {
                out.writeInt(s.sealedLength());
                out.writeByte(s.flags());
                out.write(s.checksums());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes the canonical plaintext encoding.
     *
     * @throws CorruptMetadataException naming the field and offset that do not parse
     */
    public static MetadataRecord decode(byte[] encoded) throws CorruptMetadataException {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        String field = "version";
        try {
            int version = in.get() & 0xff;
            if (version != VERSION) {
                throw corrupt(0, "version: " + version + " (expected: " + VERSION + ")");
            }
            field = "objectId";
            byte[] id = bytes(in, in.get() & 0xff, field);
            field = "generation";
            long generation = in.getLong();
            field = "kind";
            int kind = in.get() & 0xff;
            if (kind == KIND_TOMBSTONE) {
                if (in.hasRemaining()) {
                    throw corrupt(in.position(), "tombstone followed by " + in.remaining() + " bytes (expected: nothing after)");
                }
                return MetadataRecord.tombstone(id, generation);
            }
            if (kind != KIND_OBJECT) {
                throw corrupt(in.position() - 1, "kind: " + kind + " (expected: 0 object or 1 tombstone)");
            }
            field = "shardGeneration";
            long shardGeneration = in.getLong();
            field = "size";
            long size = in.getLong();
            field = "stripeSize";
            int stripeSize = in.getInt();
            field = "k and m";
            int k = in.get() & 0xff;
            int m = in.get() & 0xff;
            field = "wrappedKey";
            byte[] key = bytes(in, in.getShort() & 0xffff, field);
            field = "contentDigest";
            byte[] digest = bytes(in, MetadataRecord.DIGEST_BYTES, field);
            int n = k + m;
            if (k < 1 || n > MetadataRecord.MAX_SHARDS || stripeSize < 1 || size < 0) {
                throw corrupt(in.position(), String.format(Locale.ROOT,
                        "k: %d, m: %d, stripeSize: %d, size: %d (expected: k >= 1, k + m <= 255, stripeSize >= 1, size >= 0)",
                        k, m, stripeSize, size));
            }
            List<ShardLocation> shards = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                field = "shards[" + i + "]";
                String address = string(in, field);
                String namespace = string(in, field);
                int state = in.get() & 0xff;
                if (state > 1) {
                    throw corrupt(in.position() - 1, field + " state: " + state + " (expected: 0 stored or 1 pending)");
                }
                shards.add(new ShardLocation(address, namespace, state == 1));
            }
            long stripes = MetadataRecord.stripeCount(size, stripeSize);
            long perStripe = 5L + (long) n * StripeInfo.CHECKSUM_BYTES;
            if (stripes * perStripe != in.remaining() || stripes > Integer.MAX_VALUE) {
                throw corrupt(in.position(), String.format(Locale.ROOT,
                        "%d bytes left for %d stripes (expected: %d bytes each, nothing after)",
                        in.remaining(), stripes, perStripe));
            }
            List<StripeInfo> infos = new ArrayList<>((int) stripes);
            for (int i = 0; i < stripes; i++) {
                field = "stripes[" + i + "]";
                int sealedLength = in.getInt();
                byte flags = in.get();
                infos.add(new StripeInfo(sealedLength, flags, bytes(in, n * StripeInfo.CHECKSUM_BYTES, field)));
            }
            return new MetadataRecord(id, generation, false, shardGeneration, size, stripeSize, k, m, key, digest, shards, infos);
        } catch (BufferUnderflowException e) {
            throw corrupt(in.position(), field + ": record ends early (" + encoded.length + " bytes)");
        } catch (IllegalArgumentException e) {
            throw corrupt(in.position(), field + ": " + e.getMessage());
        }
    }

    /** Encodes and encrypts a record under the master key with a fresh random nonce. */
    public static byte[] seal(MetadataRecord record, MasterKey master, SecureRandom random) {
        byte[] plain = encode(record);
        byte[] sealed = new byte[1 + NONCE_BYTES + plain.length + TAG_BYTES];
        sealed[0] = SEALED_VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, master.secretKey(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(CONTEXT);
            cipher.doFinal(plain, 0, plain.length, sealed, 1 + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
        }
        return sealed;
    }

    /**
     * Decrypts and decodes a sealed record. The caller should check that
     * {@link MetadataRecord#objectId()} is the object it asked for.
     *
     * @throws CorruptMetadataException when the bytes do not authenticate under this master key
     *     (altered, truncated, or sealed with another key) or do not decode
     */
    public static MetadataRecord open(byte[] sealed, MasterKey master) throws CorruptMetadataException {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] != SEALED_VERSION) {
            throw new CorruptMetadataException(String.format(Locale.ROOT,
                    "sealed metadata: %d bytes, version %d (expected: >= %d bytes, version %d)",
                    sealed.length, sealed.length > 0 ? sealed[0] : -1, 1 + NONCE_BYTES + TAG_BYTES, SEALED_VERSION));
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, master.secretKey(), new GCMParameterSpec(128, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(CONTEXT);
            plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new CorruptMetadataException("sealed metadata (" + sealed.length + " bytes) does not authenticate:"
                    + " it was altered or truncated, or the master key (encryption.key) is not the one it was"
                    + " written with", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
        }
        return decode(plain);
    }

    private static void writeString(DataOutputStream out, String s, String field) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xffff) {
            throw new IllegalArgumentException(field + " length: " + utf8.length + " (expected: <= 65535 bytes)");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static byte[] bytes(ByteBuffer in, int length, String field) throws CorruptMetadataException {
        if (length > in.remaining()) {
            throw corrupt(in.position(), String.format(Locale.ROOT, "%s length: %d (expected: <= %d bytes left)",
                    field, length, in.remaining()));
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private static String string(ByteBuffer in, String field) throws CorruptMetadataException {
        int start = in.position();
        byte[] utf8 = bytes(in, in.getShort() & 0xffff, field);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(start, field + ": not valid UTF-8");
        }
    }

    private static CorruptMetadataException corrupt(int offset, String message) {
        return new CorruptMetadataException("metadata record, offset " + offset + ": " + message);
    }
}
