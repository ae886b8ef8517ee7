package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Optional;
import java.util.regex.Pattern;

/** Snapshot records: a name belongs to its first publisher, who may add versions to it. */
final class SnapshotRules {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (Snapshot.MAX_NAME - 1) + "}");

    private SnapshotRules() {}

    static Outcome publish(WorkingState s, Ed25519PublicKey sender, Transaction.PublishSnapshot p, BlockContext block) {
        Optional<Twin> twin = s.twinOf(sender);
        if (twin.isEmpty()) {
            return RegistryRules.noTwin();
        }
        if (!NAME.matcher(p.name()).matches()) {
            return Outcome.refused("invalid snapshot name '" + p.name() + "': use 1-" + Snapshot.MAX_NAME
                    + " of a-z 0-9 . _ -, starting with a letter or digit");
        }
        if (p.sourceHeight().isPresent() && p.sourceChain().isEmpty()) {
            return Outcome.refused("snapshot source height without a source chain");
        }
        if (p.sourceChain().isPresent() && p.sourceChain().get().isEmpty()) {
            return Outcome.refused("snapshot source chain must not be empty");
        }
        long publisher = twin.get().id();
        Snapshot existing = s.snapshots.get(p.name());
        if (existing != null && existing.publisherTwin() != publisher) {
            return Outcome.refused("snapshot name '" + p.name() + "' belongs to twin " + existing.publisherTwin());
        }
        if (existing != null && existing.versions().size() >= Snapshot.MAX_VERSIONS) {
            return Outcome.refused("snapshot '" + p.name() + "' already has " + Snapshot.MAX_VERSIONS + " versions");
        }
        if (existing != null && existing.find(p.manifestHash()).isPresent()) {
            return Outcome.refused("manifest " + p.manifestHash() + " is already version "
                    + existing.find(p.manifestHash()).get().version() + " of snapshot '" + p.name() + "'");
        }
        long version = existing == null ? 1 : existing.latest().version() + 1;
        Snapshot.Version v = new Snapshot.Version(version, p.manifestHash(), p.sizeBytes(), p.sourceChain(),
                p.sourceHeight(), block.height(), block.time());
        Snapshot next = existing == null ? new Snapshot(p.name(), publisher, java.util.List.of(v)) : existing.with(v);
        s.snapshots.put(p.name(), next);
        return Outcome.accepted(new Event.SnapshotPublished(p.name(), publisher, version, p.manifestHash(), p.sizeBytes()));
    }
}
