package dev.quilt.node;

import dev.quilt.zdb.client.ZdbClient;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * {@code zdb} workloads: namespaces on the node's own zdb, created and configured with the admin
 * password (NSNEW, then NSSET maxsize, mode, password and public). A namespace is named
 * {@code c<contract>-<workload>}, so two deployments cannot collide or reach each other's data.
 *
 * <p>Thread-safe (the client is).
 */
final class ZdbNamespaces implements AutoCloseable {
    private final ZdbClient admin;
    private final InetSocketAddress address;

    ZdbNamespaces(InetSocketAddress address, String adminPassword) {
        this.address = address;
        this.admin = ZdbClient.builder(address.getHostString(), address.getPort()).adminPassword(adminPassword).build();
    }

    static String name(long contractId, Workload.ZdbNamespace w) {
        return "c" + contractId + "-" + w.name();
    }

    /** Creates or updates the namespace; the result says where it is and what it is called. */
    WorkloadResult apply(long contractId, Workload.ZdbNamespace w) {
        String ns = name(contractId, w);
        if (!admin.nslist().contains(ns)) {
            admin.nsnew(ns);
            // zdb fixes the mode once a namespace holds data, so it is set only on creation.
            admin.nsset(ns, "mode", w.mode().name().toLowerCase(Locale.ROOT));
        }
        admin.nsset(ns, "maxsize", Long.toString(w.sizeBytes()));
        // 0-db has no way to remove a password but setting an empty one.
        admin.nsset(ns, "password", w.password().orElse(""));
        admin.nsset(ns, "public", w.isPublic() ? "1" : "0");
        return new WorkloadResult(w.name(), w.version(), WorkloadResult.State.OK,
                "namespace " + ns + " at " + address.getHostString() + ":" + address.getPort());
    }

    void delete(long contractId, Workload.ZdbNamespace w) {
        String ns = name(contractId, w);
        if (admin.nslist().contains(ns)) {
            admin.nsdel(ns);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
