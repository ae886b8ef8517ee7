package dev.quilt.chain;

import java.util.List;

/**
 * A farmer's machine, registered by the node's own twin under a farm.
 *
 * @param capacity what the node measured on itself
 * @param reserved the sum of the requested resources of its live node contracts; never above capacity
 * @param registeredAt block time of registration, in seconds
 * @param rentContract the live rent contract on this node, or 0
 * @param attestedWindows uptime windows (block time / window length) the node proved it was live in,
 *        ascending; windows no bill or reward still needs are pruned
 */
public record Node(long id, long farmId, long twinId, Resources capacity, Resources reserved, Location location,
                   String endpoint, long registeredAt, long rentContract, List<Long> attestedWindows) {
    public static final int MAX_ENDPOINT = 256;

    /** Decodes a node's state entry, as proven under a state root ({@link StateKeys#node}). */
    public static Node decodeEntry(byte[] bytes) {
        dev.quilt.common.codec.CanonicalReader in = new dev.quilt.common.codec.CanonicalReader(bytes);
        Node n = StateCodec.node(in);
        in.end();
        return n;
    }

    public Node {
        attestedWindows = List.copyOf(attestedWindows);
    }

    /** Capacity not yet reserved by contracts. */
    public Resources free() {
        return capacity.minus(reserved);
    }

    /**
     * Whether the node attested the uptime window of {@code time} or the one before it: the current window
     * may have only just begun, so a live node has not necessarily attested it yet.
     */
    public boolean isUpAt(long time, long windowSeconds) {
        long window = time / windowSeconds;
        return attestedWindows.contains(window) || attestedWindows.contains(window - 1);
    }

    Node withReserved(Resources r) {
        return new Node(id, farmId, twinId, capacity, r, location, endpoint, registeredAt, rentContract, attestedWindows);
    }

    Node withRentContract(long contract) {
        return new Node(id, farmId, twinId, capacity, reserved, location, endpoint, registeredAt, contract, attestedWindows);
    }

    Node withWindows(List<Long> windows) {
        return new Node(id, farmId, twinId, capacity, reserved, location, endpoint, registeredAt, rentContract, windows);
    }

    Node withDetails(Resources newCapacity, Location newLocation, String newEndpoint) {
        return new Node(id, farmId, twinId, newCapacity, reserved, newLocation, newEndpoint, registeredAt, rentContract,
                attestedWindows);
    }
}
