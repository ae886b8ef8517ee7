package dev.quilt.zstor;

import java.util.Set;

/**
 * A stored object as its metadata describes it.
 *
 * @param key the object's name
 * @param size plaintext bytes
 * @param dataShards k this version was written with
 * @param parityShards m this version was written with
 * @param generation increases with every metadata write for this key (store, rebuild)
 * @param contentSha256 hex SHA-256 of the plaintext
 * @param pendingShards shard indexes not (or no longer) stored, waiting for a rebuild
 */
public record ObjectInfo(String key, long size, int dataShards, int parityShards, long generation,
        String contentSha256, Set<Integer> pendingShards) {

    public ObjectInfo {
        pendingShards = Set.copyOf(pendingShards);
    }
}
