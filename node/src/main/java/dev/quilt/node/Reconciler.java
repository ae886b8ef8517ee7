package dev.quilt.node;

import dev.quilt.chain.ContractState;
import dev.quilt.chain.Snapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives workloads towards what the ledger and the accepted documents say should run: the policy
 * side of the node (the {@link Sandbox} is the mechanism).
 *
 * <h2>Desired state</h2>
 * For each stored deployment, the state of its contract in final state decides:
 * {@code Created} runs the document; {@code GracePeriod} pauses it (processes frozen, volumes and
 * namespaces kept); {@code Deleted}, or a contract no longer in state, tears it down and forgets
 * the document. Within a document, only workloads whose version changed are replaced; workloads
 * the new version drops are removed. Volumes and namespaces come before the processes that use them.
 *
 * <h2>Restarts of the agent</h2>
 * Processes die with the agent (the sandbox is bound to its parent), so {@link #resync()} at start
 * starts them again; volumes are re-mounted if needed and namespaces re-applied, both idempotent;
 * thin snapshots are mounted again over their kept cache (a dead FUSE mount is taken down first).
 *
 * <p>Thread-safe: one lock serializes reconciling; status reads take it briefly.
 */
final class Reconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** The final state of a contract, or empty when it is not in the ledger's state. */
    @FunctionalInterface
    interface ContractStates {
        Optional<ContractState> of(long contractId) throws IOException, InterruptedException;
    }

    /** Opens a process's sealed secret for one contract; IllegalArgumentException when it does not open. */
    @FunctionalInterface
    interface SecretOpener {
        byte[] open(long contractId, Workload.SealedSecret secret);
    }

    /** A snapshot's record in final state, or empty when no snapshot has that name. */
    @FunctionalInterface
    interface SnapshotRecords {
        Optional<Snapshot> of(String name) throws IOException, InterruptedException;
    }

    /**
     * What this agent gives processes, and what keeps it apart from other agents on the machine.
     *
     * @param instance   prefixes the names of its cgroups, unique per data directory
     * @param publicHost the address workloads are reached at
     */
    record Host(String instance, String publicHost, PortAllocator ports, SecretOpener secrets) {}

    /** What runs for one workload. */
    private sealed interface Running {
        Workload workload();

        record Proc(Workload.Process workload, ProcessSupervisor supervisor) implements Running {}

        record Vol(Workload.Volume workload, LoopVolume volume) implements Running {}

        record Zdb(Workload.ZdbNamespace workload, WorkloadResult result) implements Running {}

        record Thin(Workload.Thin workload, ThinMount mount) implements Running {}

        /** Could not be provisioned; kept so its owner sees why. */
        record Failed(Workload workload, String reason) implements Running {}
    }

    private final Path dir;
    private final DeploymentStore store;
    private final ContractStates states;
    private final Sandbox sandbox;
    private final Optional<ZdbNamespaces> zdb;
    private final CgroupHierarchy cgroups;
    private final Backoff backoff;
    private final Host host;
    private final SnapshotRecords snapshots;
    private final ReentrantLock lock = new ReentrantLock();
    // @GuardedBy("lock"): contract → workload name → what runs
    private final Map<Long, Map<String, Running>> running = new HashMap<>();
    // @GuardedBy("lock"): contracts paused in their grace period
    private final Map<Long, DeploymentDocument> paused = new HashMap<>();

    Reconciler(Path dir, DeploymentStore store, ContractStates states, Sandbox sandbox, Optional<ZdbNamespaces> zdb,
               CgroupHierarchy cgroups, Backoff backoff, Host host, SnapshotRecords snapshots) {
        this.host = host;
        this.snapshots = snapshots;
        this.dir = dir;
        this.store = store;
        this.states = states;
        this.sandbox = sandbox;
        this.zdb = zdb;
        this.cgroups = cgroups;
        this.backoff = backoff;
    }

    /** Brings every stored deployment to its desired state. */
    void resync() throws IOException, InterruptedException {
        for (SignedDeployment d : store.all()) {
            reconcile(d);
        }
    }

    /** Brings one deployment to its desired state (after the intake accepted it, or on resync). */
    void reconcile(SignedDeployment d) throws IOException, InterruptedException {
        Optional<ContractState> state = states.of(d.contractId());
        lock.lock();
        try {
            switch (state.orElse(null)) {
                case ContractState.Created c -> run(d.contractId(), d.document());
                case ContractState.GracePeriod g -> pause(d.contractId(), d.document());
                case ContractState.Deleted del -> teardown(d.contractId(), d.document());
                case null -> teardown(d.contractId(), d.document());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Per-workload results of a contract's deployment, for its owner. */
    Map<String, Object> status(long contractId) {
        lock.lock();
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("contract", contractId);
            List<WorkloadResult> results = new ArrayList<>();
            Map<String, Running> rs = running.get(contractId);
            if (paused.containsKey(contractId)) {
                // A frozen process says so itself; everything else of the deployment is kept and paused.
                paused.get(contractId).workloads().forEach(w -> results.add(
                        rs != null && rs.get(w.name()) instanceof Running.Proc p && p.workload().equals(w) ? p.supervisor().result()
                                : new WorkloadResult(w.name(), w.version(), WorkloadResult.State.PAUSED, "contract in grace period")));
            } else if (rs != null) {
                rs.values().forEach(r -> results.add(result(r)));
            }
            results.sort(Comparator.comparing(WorkloadResult::name));
            out.put("workloads", results);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** How many workloads of all deployments are in each state (for the node's metrics). */
    Map<WorkloadResult.State, Long> counts() {
        List<Long> contracts;
        lock.lock();
        try {
            contracts = new ArrayList<>(running.keySet());
            paused.keySet().stream().filter(c -> !running.containsKey(c)).forEach(contracts::add);
        } finally {
            lock.unlock();
        }
        Map<WorkloadResult.State, Long> out = new java.util.EnumMap<>(WorkloadResult.State.class);
        for (long c : contracts) {
            for (Object r : (List<?>) status(c).get("workloads")) {
                out.merge(((WorkloadResult) r).state(), 1L, Long::sum);
            }
        }
        return out;
    }

    /** The fs metrics of every mounted thin workload, with whose it is. */
    List<ThinMetrics.Source> thinMetrics() {
        lock.lock();
        try {
            List<ThinMetrics.Source> out = new ArrayList<>();
            running.forEach((contract, rs) -> rs.values().forEach(r -> {
                if (r instanceof Running.Thin t) {
                    out.add(new ThinMetrics.Source(contract, t.workload().name(), t.mount().metrics()));
                }
            }));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The last bytes of a process workload's output, if it runs here. */
    Optional<byte[]> logs(long contractId, String workload, int bytes) throws IOException {
        lock.lock();
        try {
            Optional<ProcessSupervisor> process = process(contractId, workload);
            return process.isPresent() ? Optional.of(process.get().logTail(bytes)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A process workload's output after a position ({@link BoundedLog#read}), if it runs here; when there is none
     * yet, first waits up to {@code wait} for some, without holding the reconciler's lock.
     */
    Optional<BoundedLog.Chunk> logChunk(long contractId, String workload, long epoch, long from, int max, Duration wait)
            throws IOException, InterruptedException {
        if (wait.isPositive()) {
            Optional<ProcessSupervisor> waitingOn;
            lock.lock();
            try {
                waitingOn = process(contractId, workload);
            } finally {
                lock.unlock();
            }
            if (waitingOn.isPresent()) {
                waitingOn.get().awaitLog(epoch, from, wait);
            }
        }
        lock.lock();
        try {
            Optional<ProcessSupervisor> process = process(contractId, workload);
            return process.isPresent() ? Optional.of(process.get().logRead(epoch, from, max)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The supervisor of a process workload, if one runs here; the caller holds the lock. */
    private Optional<ProcessSupervisor> process(long contractId, String workload) {
        return running.getOrDefault(contractId, Map.of()).get(workload) instanceof Running.Proc p
                ? Optional.of(p.supervisor()) : Optional.empty();
    }

    private void run(long contract, DeploymentDocument doc) {
        Map<String, Running> current = running.computeIfAbsent(contract, c -> new LinkedHashMap<>());
        if (paused.remove(contract) != null) {
            // Paid again: frozen processes continue where they stood.
            for (Map.Entry<String, Running> e : current.entrySet()) {
                if (e.getValue() instanceof Running.Proc p) {
                    try {
                        p.supervisor().resume();
                    } catch (IOException ex) {
                        log.warn("contract {}: cannot thaw {}, starting it again: {}", contract, e.getKey(), ex.getMessage());
                        p.supervisor().close();
                        e.setValue(new Running.Failed(p.workload(), "could not be thawed"));
                    }
                }
            }
        }
        List<String> wanted = doc.workloads().stream().map(Workload::name).toList();
        for (String name : List.copyOf(current.keySet())) {
            if (!wanted.contains(name)) {
                remove(contract, current.remove(name), true);
            }
        }
        // Storage first: processes bind the volumes.
        List<Workload> ordered = new ArrayList<>(doc.workloads());
        ordered.sort(Comparator.comparing(w -> w instanceof Workload.Process ? 1 : 0));
        for (Workload w : ordered) {
            Running r = current.get(w.name());
            if (r != null && r.workload().equals(w) && !(r instanceof Running.Failed)) {
                continue;
            }
            if (r != null) {
                // A new version of a volume or a process keeps its data (and a process its ports); a namespace is made anew.
                remove(contract, current.remove(w.name()), w instanceof Workload.ZdbNamespace);
            }
            current.put(w.name(), provision(contract, w, current));
        }
    }

    private Running provision(long contract, Workload w, Map<String, Running> current) {
        Path wdir = dir.resolve("c" + contract).resolve(w.name());
        try {
            return switch (w) {
                case Workload.Volume v -> new Running.Vol(v, LoopVolume.open(wdir, v.sizeBytes()));
                case Workload.ZdbNamespace z -> zdb.<Running>map(n -> new Running.Zdb(z, n.apply(contract, z)))
                        .orElse(new Running.Failed(z, "this node runs no zdb"));
                case Workload.Thin t -> {
                    Optional<String> refused = refusal(t);
                    if (refused.isPresent()) {
                        yield new Running.Failed(t, refused.get());
                    }
                    yield new Running.Thin(t, ThinMount.open(wdir, t, host.secrets().open(contract, t.zstor())));
                }
                case Workload.Process p -> {
                    List<Sandbox.Bind> binds = new ArrayList<>();
                    for (Workload.Mount m : p.mounts()) {
                        Path source = switch (current.get(m.volume())) {
                            case Running.Vol vol -> vol.volume().mountPoint();
                            case Running.Thin thin -> thin.mount().mountPoint();
                            case null, default -> null;
                        };
                        if (source == null) {
                            yield new Running.Failed(p, "volume " + m.volume() + " is not available");
                        }
                        binds.add(new Sandbox.Bind(source, m.path()));
                    }
                    Map<String, Integer> ports = host.ports().assign(contract, p.name(), p.ports());
                    Map<String, byte[]> secrets = new LinkedHashMap<>();
                    for (Workload.SealedSecret secret : p.secrets()) {
                        secrets.put(secret.name(), host.secrets().open(contract, secret));
                    }
                    yield new Running.Proc(p, ProcessSupervisor.start(host.instance() + "-c" + contract + "-" + p.name(), p, wdir,
                            binds, sandbox, cgroups, backoff, new ProcessSupervisor.Network(host.publicHost(), ports), secrets));
                }
            };
        } catch (IOException | RuntimeException e) {
            log.warn("contract {}: cannot provision {}: {}", contract, w.name(), e.getMessage());
            return new Running.Failed(w, e.getMessage());
        }
    }

    /**
     * Why a thin snapshot must not be mounted: its ledger name, when given, must have a version with
     * its manifest hash in final state (proven like contracts), so an owner cannot pass off other
     * bytes under a published name.
     */
    private Optional<String> refusal(Workload.Thin t) {
        if (t.snapshot().isEmpty()) {
            return Optional.empty();
        }
        String name = t.snapshot().get();
        try {
            Optional<Snapshot> record = snapshots.of(name);
            if (record.isEmpty()) {
                return Optional.of("snapshot " + name + " is not on the ledger");
            }
            if (record.get().find(t.manifest()).isEmpty()) {
                return Optional.of("snapshot " + name + " has no version with manifest " + t.manifest().hex()
                        + " (latest: " + record.get().latest().manifestHash().hex() + ")");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read snapshot " + name + " from the ledger: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while reading snapshot " + name + " from the ledger");
        }
    }

    /**
     * Grace period: processes are frozen where they stand (no CPU; memory, files and ports kept),
     * so that paying again resumes them; where there is no freezer they are stopped instead.
     */
    private void pause(long contract, DeploymentDocument doc) {
        if (paused.containsKey(contract)) {
            return;
        }
        Map<String, Running> current = running.get(contract);
        if (current != null) {
            for (Map.Entry<String, Running> e : List.copyOf(current.entrySet())) {
                if (e.getValue() instanceof Running.Proc p) {
                    try {
                        p.supervisor().pause();
                    } catch (IOException ex) {
                        log.info("contract {}: cannot freeze {}, stopping it: {}", contract, e.getKey(), ex.getMessage());
                        p.supervisor().close();
                        current.remove(e.getKey());
                    }
                }
            }
        }
        paused.put(contract, doc);
    }

    private void teardown(long contract, DeploymentDocument doc) throws IOException {
        paused.remove(contract);
        Map<String, Running> current = running.remove(contract);
        if (current != null) {
            // Processes before the storage they use.
            current.values().stream().filter(r -> r instanceof Running.Proc).forEach(r -> remove(contract, r, true));
            current.values().stream().filter(r -> !(r instanceof Running.Proc)).forEach(r -> remove(contract, r, true));
        } else {
            // Not running here (the agent restarted before reconciling it): remove what is on disk.
            for (Workload w : doc.workloads()) {
                switch (w) {
                    case Workload.Volume v -> remove(contract, new Running.Vol(v,
                            LoopVolume.open(dir.resolve("c" + contract).resolve(v.name()), v.sizeBytes())), true);
                    case Workload.ZdbNamespace z -> zdb.ifPresent(n -> n.delete(contract, z));
                    case Workload.Thin t -> ThinMount.deleteDir(dir.resolve("c" + contract).resolve(t.name()));
                    case Workload.Process p -> SecretFiles.delete(dir.resolve("c" + contract).resolve(p.name()));
                }
            }
        }
        host.ports().release(contract);
        store.remove(contract);
        log.info("contract {}: torn down", contract);
    }

    /** Stops a workload; {@code dropData} also deletes a volume's data or a namespace. */
    private void remove(long contract, Running r, boolean dropData) {
        try {
            switch (r) {
                case Running.Proc p -> p.supervisor().close();
                case Running.Vol v -> {
                    if (dropData) {
                        v.volume().delete();
                    } else {
                        v.volume().unmount();
                    }
                }
                case Running.Thin t -> {
                    if (dropData) {
                        t.mount().delete();
                    } else {
                        t.mount().unmount();
                    }
                }
                case Running.Zdb z -> {
                    if (dropData) {
                        zdb.ifPresent(n -> n.delete(contract, z.workload()));
                    }
                }
                case Running.Failed f -> {
                    if (dropData && f.workload() instanceof Workload.Thin t) {
                        // A mount that failed may still have left its cache, or a dead mount, behind.
                        ThinMount.deleteDir(dir.resolve("c" + contract).resolve(t.name()));
                    }
                }
            }
            if (dropData && r.workload() instanceof Workload.Process p) {
                // Its private directory goes with it, secrets included, and its ports are free again.
                SecretFiles.delete(dir.resolve("c" + contract).resolve(p.name()));
                host.ports().release(contract, p.name());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("contract {}: cannot remove {}: {}", contract, r.workload().name(), e.getMessage());
        }
    }

    private static WorkloadResult result(Running r) {
        return switch (r) {
            case Running.Proc p -> p.supervisor().result();
            case Running.Vol v -> new WorkloadResult(v.workload().name(), v.workload().version(), WorkloadResult.State.OK,
                    "mounted, " + v.workload().sizeBytes() + " bytes");
            case Running.Zdb z -> z.result();
            case Running.Thin t -> new WorkloadResult(t.workload().name(), t.workload().version(), WorkloadResult.State.OK,
                    "mounted snapshot " + t.workload().snapshot().map(n -> n + " ").orElse("") + t.workload().manifest().hex()
                            + ", cache " + t.workload().cacheBytes() + " bytes, " + t.mount().fetchedBytes() + " bytes fetched");
            case Running.Failed f -> new WorkloadResult(f.workload().name(), f.workload().version(), WorkloadResult.State.ERROR,
                    f.reason());
        };
    }

    /** Stops every process and unmounts every volume, keeping all data (agent shutdown). */
    @Override
    public void close() {
        lock.lock();
        try {
            running.forEach((contract, rs) -> {
                rs.values().stream().filter(r -> r instanceof Running.Proc).forEach(r -> remove(contract, r, false));
                rs.values().stream().filter(r -> !(r instanceof Running.Proc)).forEach(r -> remove(contract, r, false));
            });
            running.clear();
        } finally {
            lock.unlock();
        }
    }
}
