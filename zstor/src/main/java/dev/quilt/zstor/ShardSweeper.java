package dev.quilt.zstor;

import dev.quilt.zstor.backend.BackendUnavailableException;
import dev.quilt.zstor.backend.Fanout;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.backend.ShardKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the shards of a version that is no longer referenced (replaced, deleted, or a store that
 * failed). Best effort by design: it runs after the metadata no longer points at the shards, so a
 * failure leaves unreferenced bytes on a backend, never a broken object.
 */
final class ShardSweeper {

    private final Engine engine;

    ShardSweeper(Engine engine) {
        this.engine = engine;
    }

    /**
     * Deletes stripes {@code [0, stripes)} of every shard index under {@code generation}.
     *
     * @return how many shards could not be deleted
     */
    long sweep(byte[] objectHash, long generation, long stripes, List<ShardBackend> backends) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            indexes.add(i);
        }
        // One task per backend, walking the stripes: a dead backend costs one failure, not one per stripe.
        return Fanout.each(engine.executor, indexes, i -> {
            long failed = 0;
            for (int s = 0; s < stripes; s++) {
                try {
                    backends.get(i).delete(new ShardKey(objectHash, generation, s, i));
                } catch (BackendUnavailableException e) {
                    return stripes - s;
                }
            }
            return failed;
        }).stream().mapToLong(o -> o.ok() ? o.value() : stripes).sum();
    }
}
