package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.crypto.Hash256;
import java.util.List;
import java.util.Optional;

/**
 * A published filesystem snapshot: a name owned by the twin that first published it, and every
 * version it published under that name, oldest first. Earlier versions stay in the entry, so a
 * manifest hash once published can always be found and proven.
 */
public record Snapshot(String name, long publisherTwin, List<Version> versions) {
    public static final int MAX_NAME = 64;
    /** The versions one name keeps; beyond it, a republish is refused rather than forget a hash. */
    public static final int MAX_VERSIONS = 256;

    /**
     * One publish: the manifest's hash and the bytes it describes, optionally the chain and height
     * the snapshot was taken from (a chain's own state snapshot), and when it was published.
     */
    public record Version(long version, Hash256 manifestHash, long sizeBytes, Optional<String> sourceChain,
                          Optional<Long> sourceHeight, long publishedAtHeight, long publishedAt) {}

    public Snapshot {
        versions = List.copyOf(versions);
    }

    /** The newest version. */
    public Version latest() {
        return versions.getLast();
    }

    /** The version published with {@code manifestHash}, if any. */
    public Optional<Version> find(Hash256 manifestHash) {
        return versions.stream().filter(v -> v.manifestHash().equals(manifestHash)).findFirst();
    }

    Snapshot with(Version v) {
        List<Version> all = new java.util.ArrayList<>(versions);
        all.add(v);
        return new Snapshot(name, publisherTwin, all);
    }

    /** Decodes a snapshot's state entry, as proven under a state root ({@link StateKeys#snapshot}). */
    public static Snapshot decodeEntry(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes);
        Snapshot s = StateCodec.snapshot(in);
        in.end();
        return s;
    }
}
