package dev.quilt.zstor.backend;

import java.util.List;

/**
 * Placement policy: which backends hold an object's shards.
 *
 * <p>Implementations are pure and deterministic: the same groups, code and object id give the same
 * answer in every process, so a reader holding only the configuration could recompute a layout
 * (metadata records still store the locations, so configuration changes never lose data).
 * Thread-safe.
 */
public interface BackendSelector {

    /**
     * Chooses n distinct backends for an object.
     *
     * @param objectId the object's identifier, any length
     * @return n backends; shard i is stored on element i
     */
    List<Backend> select(byte[] objectId);

    /**
     * Stand-ins for a backend of this object's placement that cannot take a shard: the other
     * backends of its group, best-ranked for the object first. Taking one keeps the per-group
     * shard counts, so the layout still survives the configured losses.
     *
     * @return empty when the backend is not configured or is alone in its group
     */
    List<Backend> alternatives(byte[] objectId, Backend replaced);

    /**
     * Rendezvous (highest-random-weight) placement per group over the counts {@link ShardLayout}
     * plans: groups of equal size are ranked per object, and inside each group the backends with
     * the highest hash of (backend, object) are taken. Load spreads evenly over backends and
     * adding or removing one backend moves only the objects that ranked it highly.
     *
     * @throws IllegalArgumentException when the groups cannot hold n shards under the redundancy
     *     rules, or a backend appears twice
     */
    static BackendSelector rendezvous(List<BackendGroup> groups, int k, int n, int redundantGroups,
            int redundantNodes) {
        return new RendezvousSelector(groups, k, n, redundantGroups, redundantNodes);
    }
}
