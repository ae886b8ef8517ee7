package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Optional;

/**
 * An identity on the grid, for users, farmers and nodes alike: one per account key, with an
 * optional endpoint where it can be reached (a node's intake, a user's relay).
 */
public record Twin(long id, Ed25519PublicKey account, Optional<String> endpoint) {
    public static final int MAX_ENDPOINT = 256;

    /** Decodes a twin's state entry, as proven under a state root ({@link StateKeys#twin}). */
    public static Twin decodeEntry(byte[] bytes) {
        dev.quilt.common.codec.CanonicalReader in = new dev.quilt.common.codec.CanonicalReader(bytes);
        Twin t = StateCodec.twin(in);
        in.end();
        return t;
    }
}
