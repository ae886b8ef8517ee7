package dev.quilt.zstor.backend;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@link BackendSelector#rendezvous}: the shard counts per group are planned once by group size;
 * each call ranks groups (size first, then a per-object hash) and backends (a per-object hash) and
 * takes the top of each. One hash per backend and group, plus a sort per group. Immutable.
 */
final class RendezvousSelector implements BackendSelector {

    private final Backend[][] backends;
    private final long[][] backendHashes;
    private final long[] groupHashes;
    private final int[] groupSizes;
    /** Shard counts by rank: rank r (0 = largest group) holds plannedByRank[r] shards. */
    private final int[] plannedByRank;
    private final int n;

    RendezvousSelector(List<BackendGroup> groups, int k, int n, int redundantGroups, int redundantNodes) {
        int g = groups.size();
        backends = new Backend[g][];
        backendHashes = new long[g][];
        groupHashes = new long[g];
        groupSizes = new int[g];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < g; i++) {
            List<Backend> members = groups.get(i).backends();
            backends[i] = members.toArray(Backend[]::new);
            backendHashes[i] = new long[members.size()];
            groupSizes[i] = members.size();
            long groupHash = 0x9E3779B97F4A7C15L;
            for (int j = 0; j < members.size(); j++) {
                String id = members.get(j).id();
                if (!seen.add(id)) {
                    throw new IllegalArgumentException("backend " + id + " appears twice (expected: each backend once)");
                }
                backendHashes[i][j] = fnv1a(id.getBytes(StandardCharsets.UTF_8));
                groupHash = mix(groupHash ^ backendHashes[i][j]);
            }
            groupHashes[i] = groupHash;
        }
        int[] plan = ShardLayout.plan(groupSizes, k, n, redundantGroups, redundantNodes)
                .orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT,
                        "no placement of %d shards over groups of sizes %s leaves %d after losing %d groups"
                                + " and %d backends per group", n, Arrays.toString(groupSizes), k,
                        redundantGroups, redundantNodes)));
        // The plan is a function of sizes only; restate it by rank (largest size first).
        int[][] bySize = new int[g][];
        for (int i = 0; i < g; i++) {
            bySize[i] = new int[] {groupSizes[i], plan[i]};
        }
        Arrays.sort(bySize, (a, b) -> a[0] != b[0] ? Integer.compare(b[0], a[0]) : Integer.compare(b[1], a[1]));
        plannedByRank = new int[g];
        for (int i = 0; i < g; i++) {
            plannedByRank[i] = bySize[i][1];
        }
        this.n = n;
    }

    @Override
    public List<Backend> select(byte[] objectId) {
        long objectHash = fnv1a(objectId);
        int g = groupSizes.length;
        Integer[] rank = new Integer[g];
        long[] groupScore = new long[g];
        for (int i = 0; i < g; i++) {
            rank[i] = i;
            groupScore[i] = mix(groupHashes[i] ^ objectHash);
        }
        Arrays.sort(rank, (a, b) -> groupSizes[a] != groupSizes[b]
                ? Integer.compare(groupSizes[b], groupSizes[a])
                : Long.compareUnsigned(groupScore[b], groupScore[a]));
        List<Backend> chosen = new ArrayList<>(n);
        for (int r = 0; r < g; r++) {
            int want = plannedByRank[r];
            if (want == 0) {
                continue;
            }
            int group = rank[r];
            long[] hashes = backendHashes[group];
            long[] scored = new long[hashes.length];
            Integer[] members = new Integer[hashes.length];
            for (int j = 0; j < hashes.length; j++) {
                members[j] = j;
                scored[j] = mix(hashes[j] ^ objectHash);
            }
            Arrays.sort(members, (a, b) -> Long.compareUnsigned(scored[b], scored[a]));
            for (int j = 0; j < want; j++) {
                chosen.add(backends[group][members[j]]);
            }
        }
        return List.copyOf(chosen);
    }

    @Override
    public List<Backend> alternatives(byte[] objectId, Backend replaced) {
        long objectHash = fnv1a(objectId);
        for (int group = 0; group < backends.length; group++) {
            Backend[] members = backends[group];
            if (!Arrays.asList(members).contains(replaced)) {
                continue;
            }
            long[] scored = new long[members.length];
            Integer[] order = new Integer[members.length];
            for (int j = 0; j < members.length; j++) {
                order[j] = j;
                scored[j] = mix(backendHashes[group][j] ^ objectHash);
            }
            Arrays.sort(order, (a, b) -> Long.compareUnsigned(scored[b], scored[a]));
            List<Backend> others = new ArrayList<>();
            for (int j : order) {
                if (!members[j].equals(replaced)) {
                    others.add(members[j]);
                }
            }
            return List.copyOf(others);
        }
        return List.of();
    }

    /** 64-bit FNV-1a: a stable hash of bytes, independent of the JVM. */
    static long fnv1a(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** The SplitMix64 finalizer: spreads every input bit over the whole word. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
