package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.List;
import java.util.OptionalLong;

/**
 * A snapshot: its tree in path order, the chunk size its files were cut with, and the chain height it was
 * taken at when the source is a chain's data directory. Its identity is {@link #hash()}, the SHA-256 of its
 * canonical encoding ({@link ManifestCodec}).
 */
public record Manifest(int chunkSize, OptionalLong sourceHeight, List<Entry> entries) {
    public Manifest {
        entries = List.copyOf(entries);
    }

    public byte[] encode() {
        return ManifestCodec.INSTANCE.encode(this);
    }

    public Hash256 hash() {
        return Sha256.digest(encode());
    }

    /** Bytes of all regular files. */
    public long totalBytes() {
        return entries.stream().filter(e -> e.kind() == Entry.Kind.FILE).mapToLong(Entry::size).sum();
    }
}
