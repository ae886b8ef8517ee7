package dev.quilt.cli.deploy;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Resources;
import dev.quilt.chain.Transaction;
import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.node.DeploymentDocument;
import dev.quilt.node.SignedDeployment;
import dev.quilt.node.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Creates, updates and removes deployments: the contract on the ledger first, awaited until final,
 * then the signed document to the node, then the workload followed until its health check passes.
 * Any failure after a contract exists cancels it (awaited until final too) and is reported in one
 * line with the node's reason.
 */
final class Deployer {
    /** How long the node may answer "not final yet" for a contract the client already saw final. */
    private static final Duration NODE_CATCH_UP = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What to deploy: the template (with where it came from), its settings and where it may go. */
    record Request(String name, Template template, String templateRef, String size, Map<String, String> set,
                   Scheduler.Constraints constraints, Scheduler.Spread spread) {}

    private final Grid grid;
    private final StatusLine progress;

    Deployer(Grid grid, PrintWriter err) {
        this.grid = grid;
        this.progress = new StatusLine(err);
    }

    /** The resolved parameters, size and resources of a request, checked before anything is created. */
    record Prepared(Map<String, String> params, Template.Size size, String sizeName, Resources resources, String spec) {}

    /** A template's {@code chain-api} parameter, when it has one and it is not set, is the grid's own chain API. */
    static Request withChainApi(Request r, String api) {
        if (!r.template().parameters().containsKey(CHAIN_API) || r.set().containsKey(CHAIN_API)) {
            return r;
        }
        Map<String, String> set = new LinkedHashMap<>(r.set());
        set.put(CHAIN_API, api);
        return new Request(r.name(), r.template(), r.templateRef(), r.size(), set, r.constraints(), r.spread());
    }

    static final String CHAIN_API = "chain-api";

    /** The checks that need no grid: parameters, size, a required binary named; an error here creates and starts nothing. */
    static void check(Request request) {
        Request r = withChainApi(request, "http://127.0.0.1:1");
        Map<String, String> params = Rendering.parameters(r.template(), r.set());
        r.template().requires().forEach(req -> {
            String path = params.get(req.parameter());
            if (path == null || path.isBlank()) {
                throw CliException.input("template " + r.template().name() + " needs the " + req.binary() + " binary: pass --set "
                        + req.parameter() + "=/path/to/" + req.binary());
            }
        });
        Rendering.resources(r.template(), r.name(), params, Rendering.size(r.template(), r.size()));
    }

    Prepared prepare(Request request) {
        Request r = withChainApi(request, grid.api().toString().replaceAll("/$", ""));
        check(r);
        Template t = r.template();
        Map<String, String> params = Rendering.parameters(t, r.set());
        t.requires().forEach(req -> requireBinary(t, req, params));
        String sizeName = r.size() == null ? t.defaultSize() : r.size();
        Template.Size size = Rendering.size(t, sizeName);
        Resources resources = Rendering.resources(t, r.name(), params, size);
        String spec = Hash256Text.of(r.templateRef() + "|" + sizeName + "|" + params + "|" + t);
        return new Prepared(params, size, sizeName, resources, spec);
    }

    private void requireBinary(Template t, Template.Requirement req, Map<String, String> params) {
        String path = params.get(req.parameter());
        String pass = "pass --set " + req.parameter() + "=/path/to/" + req.binary();
        if (grid.local() && !(Files.isRegularFile(Path.of(path)) && Files.isReadable(Path.of(path)))) {
            throw CliException.input("template " + t.name() + " needs the " + req.binary() + " binary, and " + path
                    + " is not a file on this machine: " + pass);
        }
    }

    /** Deploys {@code r} on the best node; the record is also written to the local cache. */
    DeploymentRecord deploy(Request r) throws InterruptedException, IOException {
        return deploy(r, Optional.empty());
    }

    /** Deploys {@code r}, its data directory thin over a published snapshot when {@code thin} is given. */
    DeploymentRecord deploy(Request r, Optional<ThinData> thin) throws InterruptedException, IOException {
        Prepared p = prepare(r);
        thin.ifPresent(ThinData::config);
        if (Listing.find(grid, r.name()).isPresent()) {
            throw CliException.input("a deployment named " + r.name() + " exists; quilt destroy " + r.name() + " first, or pick another --name");
        }
        // A cached record without a live contract is stale (destroyed elsewhere, or billed out).
        DeploymentRecord.delete(grid.chainId(), r.name());
        List<LedgerView.NodeInfo> ranked = Scheduler.rank(LedgerView.nodes(grid.api()), p.resources(), r.constraints(), r.spread(),
                n -> Price.hourly(p.resources(), n.policy()));
        LedgerView.NodeInfo node = ranked.get(0);
        long hourly = Price.hourly(p.resources(), node.policy());
        checkFunds(r.template(), p, node, hourly);
        long twin = ensureTwin();
        DeploymentDocument doc = Rendering.render(r.template(), r.name(), p.params(), p.size(), 1).document();
        Optional<Hash256> manifest = Optional.empty();
        if (thin.isPresent()) {
            manifest = Optional.of(thin.get().manifest(new ChainClient(grid.api())));
            doc = thin.get().apply(doc, manifest.get(), ThinData.placeholder());
        }
        progress.show(r.name(), "creating the contract on node " + node.id() + " (farm " + node.farmName() + ", " + node.country() + ")");
        long contract = createContract(twin, node.id(), doc);
        Map<String, String> ports;
        try {
            if (Secrets.any(r.template())) {
                // Secrets are sealed for this contract, whose id exists only now: the contract then takes the sealed document's hash.
                progress.show(r.name(), "sealing secrets to node " + node.id());
                doc = Secrets.seal(doc, r.template(), r.name(), Secrets.values(r.template(), p.params()), Secrets.sealingKey(grid, node),
                        grid.chainId(), node.id(), contract);
                submitFinal(new Transaction.UpdateNodeContract(contract, doc.hash(), doc.resources()), "contract update");
            }
            if (thin.isPresent()) {
                progress.show(r.name(), "sealing the zstor config of snapshot " + thin.get().snapshot() + " to node " + node.id());
                doc = thin.get().apply(doc, manifest.orElseThrow(),
                        thin.get().seal(Secrets.sealingKey(grid, node), grid.chainId(), node.id(), contract));
                submitFinal(new Transaction.UpdateNodeContract(contract, doc.hash(), doc.resources()), "contract update");
            }
            hand(node, contract, doc, r.name());
            ports = awaitHealthy(r.name(), r.template(), node, contract, doc);
        } catch (IOException | RuntimeException e) {
            throw rollback(r.name(), contract, e);
        }
        DeploymentRecord record = record(r, p, contract, node, ports, doc, Optional.empty());
        record.write(grid.chainId());
        progress.done();
        return record;
    }

    /**
     * Replaces the document of a live deployment with the request's, in place (same contract and
     * node, same ports): only workloads whose content changed get the new version.
     */
    DeploymentRecord update(Request r, Listing.Live live) throws InterruptedException, IOException {
        Prepared p = prepare(r);
        if (live.parts().size() != 1) {
            throw CliException.input(r.name() + " has " + live.parts().size() + " contracts; destroy it and apply again");
        }
        Listing.Part part = live.parts().get(0);
        LedgerView.NodeInfo node = LedgerView.nodes(grid.api()).stream().filter(n -> n.id() == part.node()).findFirst()
                .orElseThrow(() -> CliException.unavailable("node " + part.node() + " of " + r.name() + " is gone from the ledger", null));
        // Without this machine's record the previous document is unknown: every workload is replaced.
        Optional<DeploymentDocument> previous = live.cached().map(c -> DeploymentDocument.decode(HexFormat.of().parseHex(c.documentHex())));
        long version = 1 + Math.max(previous.map(DeploymentDocument::version).orElse(0L),
                part.workloads().stream().mapToLong(IntakeClient.WorkloadState::version).max().orElse(0));
        DeploymentDocument fresh = Rendering.render(r.template(), r.name(), p.params(), p.size(), version).document();
        DeploymentDocument sealedFresh = !Secrets.any(r.template()) ? fresh : Secrets.seal(fresh, r.template(), r.name(),
                Secrets.values(r.template(), p.params()), Secrets.sealingKey(grid, node), grid.chainId(), node.id(), part.contract());
        DeploymentDocument doc = previous.map(prev -> keepUnchanged(prev, sealedFresh)).orElse(sealedFresh);
        progress.show(r.name(), "updating contract " + part.contract() + " to version " + version);
        submitFinal(new Transaction.UpdateNodeContract(part.contract(), doc.hash(), doc.resources()), "contract update");
        hand(node, part.contract(), doc, r.name());
        Map<String, String> ports = awaitHealthy(r.name(), r.template(), node, part.contract(), doc);
        DeploymentRecord record = record(r, p, part.contract(), node, ports, doc, live.cached().flatMap(DeploymentRecord::file));
        record.write(grid.chainId());
        progress.done();
        return record;
    }

    private static DeploymentRecord record(Request r, Prepared p, long contract, LedgerView.NodeInfo node, Map<String, String> ports,
                                           DeploymentDocument doc, Optional<String> file) {
        return new DeploymentRecord(r.name(), r.templateRef(), p.sizeName(), p.params(), contract, node.id(), node.endpoint(), ports,
                Rendering.endpoints(r.template(), r.name(), p.params(), ports), HexFormat.of().formatHex(doc.encode()), p.spec(),
                Price.hourly(p.resources(), node.policy()), file.orElse(null));
    }

    /** The new document with each workload equal to its previous self (but for its version) kept at its old version. */
    static DeploymentDocument keepUnchanged(DeploymentDocument previous, DeploymentDocument next) {
        Map<String, Workload> old = new LinkedHashMap<>();
        previous.workloads().forEach(w -> old.put(w.name(), w));
        List<Workload> out = new ArrayList<>();
        for (Workload w : next.workloads()) {
            Workload before = old.get(w.name());
            out.add(before != null && withoutSecrets(withVersion(before, w.version())).equals(withoutSecrets(w)) ? before : w);
        }
        return new DeploymentDocument(next.version(), out);
    }

    /** Sealing is randomized, so a re-sealed secret never equals the old one: workloads are compared without them. */
    private static Workload withoutSecrets(Workload w) {
        return w instanceof Workload.Process p ? p.withSecrets(List.of()) : w;
    }

    private static Workload withVersion(Workload w, long version) {
        return switch (w) {
            case Workload.Process p -> new Workload.Process(p.name(), version, p.command(), p.args(), p.env(), p.limits(), p.restart(),
                    p.mounts(), p.ports(), p.health(), p.secrets());
            case Workload.Volume v -> new Workload.Volume(v.name(), version, v.sizeBytes());
            case Workload.ZdbNamespace z -> new Workload.ZdbNamespace(z.name(), version, z.sizeBytes(), z.mode(), z.password(), z.isPublic());
            case Workload.Thin t -> new Workload.Thin(t.name(), version, t.manifest(), t.snapshot(), t.cacheBytes(), t.zstor());
        };
    }

    /** Destroys a live deployment: its contracts cancelled (each final), its record forgotten; says what was cancelled. */
    String remove(Listing.Live live) throws InterruptedException, IOException {
        List<Long> contracts = live.parts().stream().map(Listing.Part::contract).toList();
        destroy(live.name(), contracts);
        DeploymentRecord.delete(grid.chainId(), live.name());
        return live.name() + ": destroyed (contract" + (contracts.size() > 1 ? "s " : " ")
                + String.join(", ", contracts.stream().map(String::valueOf).toList()) + " cancelled)";
    }

    /** Cancels the contracts, each awaited until final. */
    void destroy(String name, List<Long> contracts) throws InterruptedException {
        for (long contract : contracts) {
            progress.show(name, "cancelling contract " + contract);
            submitFinal(new Transaction.CancelContract(contract), "cancellation of contract " + contract);
        }
        progress.done();
    }

    /** The account must hold an hour of the price at the chosen node's farm policy. */
    private void checkFunds(Template t, Prepared p, LedgerView.NodeInfo node, long hourly) {
        long balance = grid.chain().call(c -> c.account(grid.user().publicKey())).balance();
        if (balance < Math.max(1, hourly)) {
            throw CliException.input("account " + grid.user().publicKey().hex() + " holds " + balance + " units and " + t.name()
                    + " (" + Scheduler.describe(p.resources()) + ") costs " + hourly + " units an hour on node " + node.id()
                    + " (farm " + node.farmName() + ", pricing policy " + node.policy().id() + " " + node.policy().name()
                    + "): fund it first (quilt transfer --to <key> --amount N); nothing was created");
        }
    }

    private long ensureTwin() throws InterruptedException {
        OptionalLong twin = grid.chain().call(c -> c.twinOf(grid.user().publicKey()));
        if (twin.isPresent()) {
            return twin.getAsLong();
        }
        progress.show("identity", "creating a twin for " + grid.user().publicKey().hex().substring(0, 16) + "…");
        submitFinal(new Transaction.CreateTwin(Optional.empty()), "twin creation");
        return grid.chain().call(c -> c.twinOf(grid.user().publicKey())).orElseThrow();
    }

    private long createContract(long twin, long node, DeploymentDocument doc) throws InterruptedException {
        Hash256 hash = doc.hash();
        submitFinal(new Transaction.CreateNodeContract(node, hash, doc.resources(), 0), "contract creation");
        return grid.chain().call(c -> c.contracts(OptionalLong.of(twin), OptionalLong.of(node), Optional.of("created"))).stream()
                .filter(c -> c.deploymentHash().filter(hash::equals).isPresent()).mapToLong(ChainClient.ContractSummary::id)
                .findFirst().orElseThrow(() -> CliException.unavailable("the contract for " + hash + " is final but not listed", null));
    }

    private void submitFinal(Transaction payload, String what) throws InterruptedException {
        Hash256 tx = grid.chain().signAndSubmit(grid.user(), payload);
        ChainClient.Receipt receipt = grid.chain().awaitFinal(tx, what);
        if (receipt.refusal().isPresent()) {
            throw CliException.input("the ledger refused the " + what + ": " + receipt.refusal().get());
        }
    }

    /** Hands the signed document to the node; "not final yet" is retried while the node's light client catches up. */
    private void hand(LedgerView.NodeInfo node, long contract, DeploymentDocument doc, String name) throws IOException, InterruptedException {
        progress.show(name, "handing the document to node " + node.id() + " (contract " + contract + ")");
        IntakeClient intake = new IntakeClient(node.endpoint(), grid.chainId(), node.id(), grid.user());
        SignedDeployment signed = SignedDeployment.sign(grid.user(), grid.chainId(), node.id(), contract, doc);
        long deadline = System.nanoTime() + NODE_CATCH_UP.toNanos();
        while (true) {
            IntakeClient.Answer a = intake.deploy(signed);
            if (a.ok()) {
                return;
            }
            if (a.status() != 503 || System.nanoTime() > deadline) {
                throw CliException.unavailable("node " + node.id() + " refused the deployment: " + a.error(), null);
            }
            Thread.sleep(POLL);
        }
    }

    /**
     * Follows the node's status until every workload of this version is ok and the health check
     * passed (the node's probe, then on a local grid the client's own with every expected value);
     * returns the ports the node gave, as {@code host:port} by port name.
     */
    private Map<String, String> awaitHealthy(String name, Template t, LedgerView.NodeInfo node, long contract, DeploymentDocument doc)
            throws IOException, InterruptedException {
        IntakeClient intake = new IntakeClient(node.endpoint(), grid.chainId(), node.id(), grid.user());
        Duration timeout = t.health().map(Template.Health::timeout).orElse(Duration.ofSeconds(60)).plusSeconds(10);
        long started = System.nanoTime();
        while (true) {
            List<IntakeClient.WorkloadState> states = intake.status(contract);
            for (IntakeClient.WorkloadState s : states) {
                if (s.state().equalsIgnoreCase("error") && isCurrent(doc, s)) {
                    throw CliException.unavailable("node " + node.id() + ": workload " + s.name() + " failed: " + s.message()
                            + lastLine(intake, contract, s.name()), null);
                }
            }
            Map<String, String> ports = new LinkedHashMap<>();
            states.forEach(s -> ports.putAll(s.endpoints()));
            boolean ok = states.size() == doc.workloads().size()
                    && states.stream().allMatch(s -> s.state().equalsIgnoreCase("ok") && isCurrent(doc, s));
            String now;
            if (ok && t.health().isEmpty()) {
                return ports;
            } else if (ok) {
                HealthProbe.Result h = clientProbe(t, ports);
                if (h.healthy()) {
                    return ports;
                }
                now = "node says healthy; from here: " + h.detail();
            } else {
                now = states.isEmpty() ? "waiting for the node to start it" : states.stream()
                        .filter(s -> !s.message().startsWith("mounted"))
                        .map(s -> s.name().substring(name.length() + 1) + " " + s.state().toLowerCase(java.util.Locale.ROOT)
                                + (s.message().isEmpty() ? "" : ": " + s.message()))
                        .reduce((a, b) -> a + "; " + b).orElse("volumes ready");
            }
            progress.show(name, now + String.format(java.util.Locale.ROOT, " (%.1f s)", (System.nanoTime() - started) / 1e9));
            if (System.nanoTime() - started > timeout.toNanos()) {
                throw CliException.unavailable("not healthy after " + timeout.toSeconds() + " s: " + now, null);
            }
            Thread.sleep(POLL);
        }
    }

    /** The template's check from this machine; on a remote grid an unreachable endpoint leaves the node's word standing. */
    private HealthProbe.Result clientProbe(Template t, Map<String, String> ports) {
        Template.Health h = t.health().orElseThrow();
        String where = ports.get(h.port());
        if (where == null) {
            return new HealthProbe.Result(false, "the node reports no address for port " + h.port());
        }
        HealthProbe.Result r = HealthProbe.probe(HealthProbe.target(h, where));
        return r.healthy() || grid.local() ? r : new HealthProbe.Result(true, "node's probe passed; " + r.detail());
    }

    private static boolean isCurrent(DeploymentDocument doc, IntakeClient.WorkloadState s) {
        return doc.workloads().stream().anyMatch(w -> w.name().equals(s.name()) && w.version() == s.version());
    }

    private static String lastLine(IntakeClient intake, long contract, String workload) {
        try {
            List<String> lines = intake.logs(contract, workload).lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : "; its output ends: " + lines.get(lines.size() - 1).strip();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** Cancels the contract just created and returns the error to throw: the cause, plus what was rolled back. */
    private CliException rollback(String name, long contract, Exception cause) {
        String why = cause instanceof CliException ? cause.getMessage() : cause.toString();
        progress.show(name, "failed; cancelling contract " + contract);
        progress.done();
        try {
            submitFinal(new Transaction.CancelContract(contract), "cancellation of contract " + contract);
        } catch (CliException | InterruptedException e) {
            progress.done();
            return CliException.unavailable(why + "; and contract " + contract + " could not be cancelled: " + e.getMessage()
                    + " (cancel it with quilt destroy " + name + ")", cause);
        }
        progress.done();
        return CliException.unavailable(why + "; contract " + contract + " cancelled", cause);
    }

}
