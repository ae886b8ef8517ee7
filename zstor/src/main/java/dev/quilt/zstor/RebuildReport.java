package dev.quilt.zstor;

import java.util.List;

/**
 * What a rebuild did.
 *
 * @param key the object
 * @param rewrittenShards shard indexes written anew (empty when the object was healthy)
 * @param movedTo for each rewritten shard, the backend id it lives on now, aligned with {@code rewrittenShards}
 * @param after the object's health once the new metadata was written
 */
public record RebuildReport(String key, List<Integer> rewrittenShards, List<String> movedTo, CheckReport.Health after) {

    public RebuildReport {
        rewrittenShards = List.copyOf(rewrittenShards);
        movedTo = List.copyOf(movedTo);
    }
}
