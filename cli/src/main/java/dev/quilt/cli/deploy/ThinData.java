package dev.quilt.cli.deploy;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Snapshot;
import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.node.DeploymentDocument;
import dev.quilt.node.SecretSealer;
import dev.quilt.node.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code quilt deploy --snapshot}: the template's data directory (its one {@code data} volume)
 * becomes a thin workload over a snapshot published on the ledger, of the volume's size as cache,
 * with the zstor config sealed to the node.
 *
 * @param snapshot the ledger name; its latest version is mounted
 * @param zstorConfig the config (TOML) of the zstor holding the snapshot, readable by the node
 */
record ThinData(String snapshot, Path zstorConfig) {
    static final String ZSTOR_SECRET = "zstor";

    ThinData {
        if (!Workload.Thin.SNAPSHOT_NAME.matcher(snapshot).matches()) {
            throw CliException.input("--snapshot " + snapshot + " (expected: " + Workload.Thin.SNAPSHOT_NAME.pattern() + ")");
        }
    }

    /** The snapshot's latest manifest hash on the ledger, or a one-line error. */
    Hash256 manifest(ChainClient chain) throws IOException {
        Snapshot s = chain.snapshot(snapshot).orElseThrow(() -> CliException.input("--snapshot " + snapshot
                + ": no snapshot of that name on the ledger (publish it with quilt snapshot create --publish)"));
        return s.latest().manifestHash();
    }

    byte[] config() {
        try {
            return Files.readAllBytes(zstorConfig);
        } catch (NoSuchFileException e) {
            throw CliException.input("--zstor: " + zstorConfig + ": no such file");
        } catch (IOException e) {
            throw CliException.input("--zstor: cannot read " + zstorConfig + ": " + e.getMessage());
        }
    }

    /**
     * The document with its one volume replaced by a thin workload of the same name and size, its
     * zstor config sealed as given (a placeholder before the contract, whose id sealing needs, exists).
     */
    DeploymentDocument apply(DeploymentDocument doc, Hash256 manifest, Workload.SealedSecret zstor) {
        long volumes = doc.workloads().stream().filter(w -> w instanceof Workload.Volume || w instanceof Workload.Thin).count();
        if (volumes != 1) {
            throw CliException.input("--snapshot: the template has " + volumes + " data directories (expected: exactly one)");
        }
        List<Workload> out = new ArrayList<>();
        for (Workload w : doc.workloads()) {
            out.add(switch (w) {
                case Workload.Volume v -> new Workload.Thin(v.name(), v.version(), manifest, Optional.of(snapshot),
                        Math.max(Workload.MIN_THIN_CACHE, v.sizeBytes()), zstor);
                case Workload.Thin t -> new Workload.Thin(t.name(), t.version(), manifest, Optional.of(snapshot), t.cacheBytes(), zstor);
                default -> w;
            });
        }
        return new DeploymentDocument(doc.version(), out);
    }

    /** Stands in for the sealed config until the contract exists: same length, so the resources do not change. */
    static Workload.SealedSecret placeholder() {
        return new Workload.SealedSecret(ZSTOR_SECRET, new byte[SecretSealer.OVERHEAD]);
    }

    Workload.SealedSecret seal(byte[] sealingKey, String chainId, long nodeId, long contract) {
        return SecretSealer.seal(sealingKey, chainId, nodeId, contract, ZSTOR_SECRET, config());
    }
}
