package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Uptime as challenge and response. The challenge is the hash of a recent certified block: it is
 * unpredictable until that block exists, and an answer is accepted only within
 * {@code challengeDeadlineBlocks} of it, so attestations cannot be signed ahead or saved up. An
 * accepted attestation marks the uptime window of the current block time live. Attesting the same
 * window twice is accepted and changes nothing, so a node may retry freely (tfchain farmers lost
 * rewards to duplicate and retried reports).
 */
final class UptimeRules {
    private UptimeRules() {}

    static Outcome attest(WorkingState s, Ed25519PublicKey sender, Transaction.AttestUptime a, BlockContext block) {
        Node node = s.nodes.get(a.nodeId());
        if (node == null) {
            return Outcome.refused("no node " + a.nodeId());
        }
        if (!s.accountOfTwin(node.twinId()).equals(sender)) {
            return Outcome.refused("only node " + node.id() + " may attest its uptime");
        }
        long age = block.height() - a.challengeHeight();
        if (age <= 0) {
            return Outcome.refused("challenge height " + a.challengeHeight() + " is not before block " + block.height());
        }
        long deadline = s.params.challengeDeadlineBlocks();
        if (age > deadline) {
            return Outcome.refused("challenge expired: block " + a.challengeHeight() + " is " + age
                    + " blocks old, deadline " + deadline);
        }
        Hash256 certified = block.recentCertifiedBlocks().get(a.challengeHeight());
        if (certified == null) {
            return Outcome.refused("no certified block at height " + a.challengeHeight());
        }
        if (!certified.equals(a.challengeHash())) {
            return Outcome.refused("challenge hash does not match certified block " + a.challengeHeight());
        }
        long window = block.time() / s.params.uptimeWindowSeconds();
        List<Long> windows = new ArrayList<>(node.attestedWindows());
        int at = Collections.binarySearch(windows, window);
        if (at < 0) {
            windows.add(-at - 1, window);
            s.nodes.put(node.id(), node.withWindows(windows));
        }
        return Outcome.accepted(new Event.UptimeAttested(node.id(), window));
    }
}
