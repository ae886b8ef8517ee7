package dev.quilt.chain;

/**
 * A node's weight, for farmer rewards and farm votes: tfchain's capacity helpers (grid
 * reference §1.1), in whole GiB, rounded down.
 * <ul>
 *   <li>CU = 2 · min(cru · 2, (mru − 1) / 4, sru / 50)</li>
 *   <li>SU = hru / 1200 + sru / 250</li>
 *   <li>weight = 2 · CU + SU</li>
 * </ul>
 */
final class NodeWeight {
    private NodeWeight() {}

    static long of(Resources capacity) {
        long mru = capacity.mru() / Resources.GIB;
        long sru = capacity.sru() / Resources.GIB;
        long hru = capacity.hru() / Resources.GIB;
        long cu = 2 * Math.max(0, Math.min(capacity.cru() * 2, Math.min((mru - 1) / 4, sru / 50)));
        long su = hru / 1200 + sru / 250;
        return 2 * cu + su;
    }

    static long ofFarm(WorkingState s, long farmId) {
        return s.nodes.values().stream().filter(n -> n.farmId() == farmId).mapToLong(n -> of(n.capacity())).sum();
    }
}
