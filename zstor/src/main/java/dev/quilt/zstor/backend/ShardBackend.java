package dev.quilt.zstor.backend;

/**
 * Mechanism: where one shard is put, read, checked and deleted. Implementations name the backend
 * in every failure and keep its {@link BackendHealth} current. Thread-safe.
 */
public interface ShardBackend {

    Backend backend();

    BackendHealth health();

    /** The health of {@link #put} calls alone; a store's hedge delay comes from it. */
    default BackendHealth writeHealth() {
        return health();
    }

    /** Stores the shard under its key, replacing what was there. */
    void put(ShardKey key, byte[] shard) throws BackendUnavailableException;

    /** The shard's bytes, or null when the backend answered without it. */
    byte[] get(ShardKey key) throws BackendUnavailableException;

    boolean exists(ShardKey key) throws BackendUnavailableException;

    /** Removes the shard; no error when it was not there. */
    void delete(ShardKey key) throws BackendUnavailableException;

    /** The namespace's size and free space. */
    NamespaceUsage usage() throws BackendUnavailableException;

    /** Shards in user-key mode in the link's namespace, keyed by {@link ShardKey#bytes()}. */
    static ShardBackend zdb(BackendLink link) {
        return new ZdbShardBackend(link);
    }
}
