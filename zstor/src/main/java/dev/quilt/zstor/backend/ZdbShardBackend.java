package dev.quilt.zstor.backend;

/** {@link ShardBackend#zdb}: one shard is one zdb value under its 29-byte key. */
final class ZdbShardBackend implements ShardBackend {

    private final BackendLink link;

    ZdbShardBackend(BackendLink link) {
        this.link = link;
    }

    @Override
    public Backend backend() {
        return link.backend();
    }

    @Override
    public BackendHealth health() {
        return link.health();
    }

    @Override
    public BackendHealth writeHealth() {
        return link.writeHealth();
    }

    @Override
    public void put(ShardKey key, byte[] shard) throws BackendUnavailableException {
        link.set(key.bytes(), shard);
    }

    @Override
    public byte[] get(ShardKey key) throws BackendUnavailableException {
        return link.get(key.bytes());
    }

    @Override
    public boolean exists(ShardKey key) throws BackendUnavailableException {
        return link.exists(key.bytes());
    }

    @Override
    public void delete(ShardKey key) throws BackendUnavailableException {
        link.delete(key.bytes());
    }

    @Override
    public NamespaceUsage usage() throws BackendUnavailableException {
        return link.usage();
    }

    @Override
    public String toString() {
        return link.toString();
    }
}
