package dev.quilt.node;

import dev.quilt.chain.Resources;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a contract's owner wants a node to run. Its {@link #hash()} is what the owner puts in the
 * node contract on the ledger; the node runs the document only if the two are equal.
 *
 * @param version 1 for a new deployment, then + 1 per update; a workload's own version is at most this
 */
public record DeploymentDocument(long version, List<Workload> workloads) {
    static final byte[] DOMAIN = "quilt/deployment/v1".getBytes(StandardCharsets.US_ASCII);

    public DeploymentDocument {
        if (version < 1) {
            throw new IllegalArgumentException("version: " + version + " (expected: >= 1)");
        }
        workloads = List.copyOf(workloads);
        if (workloads.size() > Workload.MAX_ITEMS) {
            throw new IllegalArgumentException("workloads: " + workloads.size() + " (expected: <= " + Workload.MAX_ITEMS + ")");
        }
        Set<String> names = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (Workload w : workloads) {
            if (!names.add(w.name())) {
                throw new IllegalArgumentException("workload name " + w.name() + " is used twice");
            }
            if (w.version() > version) {
                throw new IllegalArgumentException("workload " + w.name() + " version: " + w.version()
                        + " (expected: <= document version " + version + ")");
            }
            if (w instanceof Workload.Volume || w instanceof Workload.Thin) {
                volumes.add(w.name());
            }
        }
        for (Workload w : workloads) {
            if (w instanceof Workload.Process p) {
                for (Workload.Mount m : p.mounts()) {
                    if (!volumes.contains(m.volume())) {
                        throw new IllegalArgumentException("process " + p.name() + " mounts " + m.volume()
                                + ", which is not a volume or thin snapshot of this document");
                    }
                }
            }
        }
    }

    /** The canonical encoding ({@link DeploymentCodec}). */
    public byte[] encode() {
        return DeploymentCodec.DOCUMENT.encode(this);
    }

    public static DeploymentDocument decode(byte[] bytes) {
        return DeploymentCodec.DOCUMENT.decode(bytes);
    }

    /** SHA-256 over a domain tag and the encoding: what a node contract's deployment hash must equal. */
    public Hash256 hash() {
        return Sha256.digest(DOMAIN, encode());
    }

    /**
     * What the document needs from the node: CPUs rounded up from the processes' thousandths,
     * (throws {@link ArithmeticException} when the sums overflow)
     * their memory, and the volumes', namespaces' sizes and thin caches as SSD.
     */
    public Resources resources() {
        long cpuMillis = 0;
        long mru = 0;
        long sru = 0;
        for (Workload w : workloads) {
            switch (w) {
                case Workload.Process p -> {
                    cpuMillis = Math.addExact(cpuMillis, p.limits().cpuMillis());
                    mru = Math.addExact(mru, p.limits().memoryBytes());
                }
                case Workload.Volume v -> sru = Math.addExact(sru, v.sizeBytes());
                case Workload.ZdbNamespace z -> sru = Math.addExact(sru, z.sizeBytes());
                case Workload.Thin t -> sru = Math.addExact(sru, t.cacheBytes());
            }
        }
        return new Resources(cpuMillis / 1000 + (cpuMillis % 1000 == 0 ? 0 : 1), mru, sru, 0);
    }
}
