package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A validator's signing key behind the rule that makes quorum certificates safe: never sign two
 * different headers at one height, and never go back to a lower height.
 *
 * <h2>Format of the guard file</h2>
 * {@code version u8 (01) | lastSignedHeight int64 | headerHash 32}, written atomically (temp file,
 * fsync, rename, directory fsync) <em>before</em> a signature is released. A crash after the write
 * and before the release only loses a signature; it can never let the validator sign a second
 * header at that height after a restart. Signing the same header again is allowed (Ed25519 is
 * deterministic, so it is the same signature).
 *
 * <p>Thread-safe: one lock covers check, persist and sign.
 */
public final class HeaderSigner {
    private static final int VERSION = 1;

    /** What came of a request to sign. */
    public sealed interface Result {
        record Signed(HeaderSignature signature) implements Result {}

        record Refused(String reason) implements Result {}
    }

    private final Ed25519KeyPair key;
    private final Path guardFile;
    private final ReentrantLock lock = new ReentrantLock();
    // @GuardedBy("lock")
    private long lastHeight;
    // @GuardedBy("lock")
    private Hash256 lastHash;

    private HeaderSigner(Ed25519KeyPair key, Path guardFile, long lastHeight, Hash256 lastHash) {
        this.key = key;
        this.guardFile = guardFile;
        this.lastHeight = lastHeight;
        this.lastHash = lastHash;
    }

    /** Opens the signer, reading the guard file if it exists (a new validator starts at nothing signed). */
    public static HeaderSigner open(Ed25519KeyPair key, Path guardFile) throws IOException {
        if (!Files.exists(guardFile)) {
            return new HeaderSigner(key, guardFile, -1, Hash256.ZERO);
        }
        byte[] bytes = Files.readAllBytes(guardFile);
        try {
            CanonicalReader in = new CanonicalReader(bytes);
            int version = in.u8("guard.version");
            if (version != VERSION) {
                throw new IOException(guardFile + ": unsupported guard version " + version + " (expected: 1)");
            }
            HeaderSigner signer = new HeaderSigner(key, guardFile, in.int64("guard.height"), ValueCodecs.hash(in, "guard.hash"));
            in.end();
            return signer;
        } catch (CodecException e) {
            throw new IOException(guardFile + ": corrupt signing guard; refusing to sign until it is restored", e);
        }
    }

    public Ed25519KeyPair key() {
        return key;
    }

    /** The highest height signed so far, -1 before the first signature. */
    public long lastSignedHeight() {
        lock.lock();
        try {
            return lastHeight;
        } finally {
            lock.unlock();
        }
    }

    /** Signs {@code header} unless that would break the rule; the guard is durable before the signature exists. */
    public Result sign(BlockHeader header) throws IOException {
        Hash256 hash = header.hash();
        lock.lock();
        try {
            if (header.height() < lastHeight) {
                return new Result.Refused("height " + header.height() + " is below the last signed height " + lastHeight);
            }
            if (header.height() == lastHeight && !hash.equals(lastHash)) {
                return new Result.Refused("already signed header " + lastHash + " at height " + lastHeight
                        + "; refusing a second header " + hash + " at that height");
            }
            if (header.height() > lastHeight) {
                CanonicalWriter out = new CanonicalWriter().u8(VERSION).int64(header.height());
                ValueCodecs.hash(out, hash);
                AtomicFiles.write(guardFile, out.toByteArray());
                lastHeight = header.height();
                lastHash = hash;
            }
            return new Result.Signed(new HeaderSignature(key.publicKey(), key.sign(hash.bytes())));
        } finally {
            lock.unlock();
        }
    }
}
