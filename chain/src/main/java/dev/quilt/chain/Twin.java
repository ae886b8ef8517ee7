package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Optional;

/**
 * An identity on the grid, for users, farmers and nodes alike: one per account key, with an
 * optional endpoint where it can be reached (a node's intake, a user's relay).
 */
public record Twin(long id, Ed25519PublicKey account, Optional<String> endpoint) {
    public static final int MAX_ENDPOINT = 256;
}
