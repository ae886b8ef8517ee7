package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519PublicKey;

/**
 * The keys under which {@link LedgerState#stateRoot()} commits to each piece of the state: a
 * one-byte table tag, then the entry's id (int64), account key (32 bytes) or, for snapshots, name. A light client
 * builds these to ask for, and check, one entry.
 */
public final class StateKeys {
    static final int PARAMS = 0x01;
    static final int SUPPLY = 0x02;
    static final int POLICY = 0x03;
    static final int ACCOUNT = 0x04;
    static final int TWIN = 0x05;
    static final int FARM = 0x06;
    static final int NODE = 0x07;
    static final int CONTRACT = 0x08;
    static final int PROPOSAL = 0x09;
    static final int SNAPSHOT = 0x0a;

    private StateKeys() {}

    /** The chain parameters. */
    public static byte[] params() {
        return new byte[] {PARAMS};
    }

    /** The supply counters and the start of the reward period. */
    public static byte[] supply() {
        return new byte[] {SUPPLY};
    }

    public static byte[] pricingPolicy(long id) {
        return byId(POLICY, id);
    }

    public static byte[] account(Ed25519PublicKey key) {
        CanonicalWriter out = new CanonicalWriter().u8(ACCOUNT);
        ValueCodecs.key(out, key);
        return out.toByteArray();
    }

    public static byte[] twin(long id) {
        return byId(TWIN, id);
    }

    public static byte[] farm(long id) {
        return byId(FARM, id);
    }

    public static byte[] node(long id) {
        return byId(NODE, id);
    }

    public static byte[] contract(long id) {
        return byId(CONTRACT, id);
    }

    public static byte[] proposal(long id) {
        return byId(PROPOSAL, id);
    }

    /** A snapshot record: the tag, then the name as a length-prefixed UTF-8 string. */
    public static byte[] snapshot(String name) {
        return new CanonicalWriter().u8(SNAPSHOT).string(name, Snapshot.MAX_NAME).toByteArray();
    }

    private static byte[] byId(int table, long id) {
        return new CanonicalWriter().u8(table).int64(id).toByteArray();
    }
}
