package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.ExitCodes;
import dev.quilt.chain.PricingPolicy;
import dev.quilt.chain.ProposalAction;
import dev.quilt.chain.Transaction;
import dev.quilt.cli.QuiltRun;
import dev.quilt.cli.command.ChainApiClient;
import dev.quilt.cli.command.ChainKeys;
import dev.quilt.cli.devnet.DevnetLayout;
import dev.quilt.cli.devnet.Launcher;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * quilt devnet, deploy, ls, status, logs, destroy, plan and apply against one real devnet (a
 * validator and three node agents under the supervisor, all child processes), with real monerod
 * workloads in bubblewrap sandboxes. The commands run in-process; every part of the grid is real.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path home;
    private static String api;
    /** Monero's S size (1 CPU, 1 GiB memory, 1 GiB SSD) at the default policy: 0.5 CU at 100 000, 0.005 SU at 50 000. */
    private static final long DEFAULT_MONERO_PRICE = 50_000 + 250;

    @RegisterExtension
    static final DevnetLogs LOGS_ON_FAILURE = new DevnetLogs(() -> home);

    @BeforeAll
    static void devnet() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root for cgroups and loop mounts");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")) || Files.isExecutable(Path.of("/bin/bwrap")), "needs bubblewrap");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/monerod")), "needs monerod (Debian's monero package)");
        home = Files.createTempDirectory("quilt-home");
        System.setProperty("quilt.home", home.toString());
        String out;
        try {
            out = ok("devnet", "up", "--nodes", "3", "--farms", "3");
        } catch (AssertionError e) {
            DevnetLogs.printTails(home.resolve("devnet"), "devnet up");
            throw e;
        }
        Matcher m = Pattern.compile("chain API\\s+(http://\\S+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        api = m.group(1);
    }

    @AfterAll
    static void down() throws java.io.IOException {
        if (home != null) {
            QuiltRun.of("devnet", "down", "--purge");
            System.clearProperty("quilt.home");
            try (var walk = Files.walk(home)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String ok(String... args) {
        QuiltRun run = QuiltRun.of(args);
        assertThat(run.exitCode()).as("quilt %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.out(), run.err())
                .isEqualTo(ExitCodes.OK);
        return run.out();
    }

    static String fails(int code, String... args) {
        QuiltRun run = QuiltRun.of(args);
        assertThat(run.exitCode()).as("quilt %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.out(), run.err()).isEqualTo(code);
        return run.err();
    }

    static JsonNode get(String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    static JsonNode getInfo(String rpc) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(rpc)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":\"0\",\"method\":\"get_info\"}")).build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Live (not deleted) contracts on the ledger. */
    static int liveContracts() throws Exception {
        int n = 0;
        for (JsonNode c : get("/v1/contracts")) {
            n += c.get("state").get("type").asText().equals("Deleted") ? 0 : 1;
        }
        return n;
    }

    static long reservedCru() throws Exception {
        long sum = 0;
        for (JsonNode n : get("/v1/nodes")) {
            sum += n.get("reserved").get("cru").asLong();
        }
        return sum;
    }

    static boolean monerodOnPort(int port) throws Exception {
        return monerod(port).isPresent();
    }

    /** The /proc directory of the monerod serving RPC on {@code port}. */
    static Optional<Path> monerod(int port) throws Exception {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains("monerod") && cmd.contains("--rpc-bind-port " + port + " ")) {
                        return Optional.of(p);
                    }
                } catch (java.io.IOException e) {
                    // the process exited while listed
                }
            }
        }
        return Optional.empty();
    }

    /** The CPUs a process's cgroup may use (its CFS quota over the period), on cgroup v1 or v2. */
    static double cgroupCpus(Path proc) throws Exception {
        for (String line : Files.readAllLines(proc.resolve("cgroup"))) {
            String[] f = line.split(":", 3);
            if (f[0].equals("0") && Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
                String[] max = Files.readString(Path.of("/sys/fs/cgroup" + f[2], "cpu.max")).strip().split(" ");
                return Double.parseDouble(max[0]) / Double.parseDouble(max[1]);
            }
            if (List.of(f[1].split(",")).contains("cpu")) {
                Path dir = Path.of("/sys/fs/cgroup/" + f[1] + f[2]);
                return Double.parseDouble(Files.readString(dir.resolve("cpu.cfs_quota_us")).strip())
                        / Double.parseDouble(Files.readString(dir.resolve("cpu.cfs_period_us")).strip());
            }
        }
        throw new AssertionError("no cpu cgroup for " + proc);
    }

    static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("still waiting for: " + what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    @Order(1)
    void moneroDeploysAnswersIsListedLogsAndIsDestroyed() throws Exception {
        JsonNode result = JSON.readTree(ok("deploy", "monero", "--name", "xmr", "--json"));
        // Every devnet farm sells at the default policy: 0.5 CU and 0.005 SU an hour for monero's S size.
        assertThat(result.get("pricePerHour").asLong()).isEqualTo(DEFAULT_MONERO_PRICE);
        String rpc = result.get("endpoints").get("rpc").asText();
        JsonNode info = getInfo(rpc);
        assertThat(info.at("/result/status").asText()).isEqualTo("OK");
        assertThat(info.at("/result/synchronized").asBoolean()).isTrue();
        int port = URI.create(rpc).getPort();
        assertThat(monerodOnPort(port)).isTrue();
        assertThat(reservedCru()).isEqualTo(1);
        // Each agent offers its share of the machine's CPUs (at least one), and its workload's cgroup stays within it.
        List<Long> cpus = new ArrayList<>();
        get("/v1/nodes").forEach(n -> cpus.add(n.get("capacity").get("cru").asLong()));
        int machine = Runtime.getRuntime().availableProcessors();
        assertThat(cpus).allMatch(c -> c >= 1 && c <= (machine + 2) / 3);
        assertThat(cpus.stream().mapToLong(Long::longValue).sum()).isEqualTo(Math.max(machine, 3));
        long nodeCpus = 0;
        for (JsonNode n : get("/v1/nodes")) {
            nodeCpus = n.get("id").asLong() == result.get("node").asLong() ? n.get("capacity").get("cru").asLong() : nodeCpus;
        }
        assertThat(cgroupCpus(monerod(port).orElseThrow())).isPositive().isLessThanOrEqualTo(nodeCpus);

        assertThat(ok("ls")).containsPattern("xmr\\s+monero\\s+" + result.get("contract").asLong() + "\\s+" + result.get("node").asLong()
                + "\\s+created\\s+monerod ok, monerod-data ok");
        assertThat(ok("status", "xmr")).contains("health healthy").contains("endpoint rpc  " + rpc);
        assertThat(ok("logs", "xmr")).contains("core RPC server started ok");

        assertThat(ok("destroy", "xmr")).contains("xmr: destroyed (contract " + result.get("contract").asLong() + " cancelled)");
        assertThat(reservedCru()).isZero();
        await("monerod on port " + port + " to exit", () -> !monerodOnPort(port));
        assertThat(ok("ls")).doesNotContain("xmr");
    }

    @Test
    @Order(2)
    void nothingFitsNamesTheConstraint() throws Exception {
        int before = liveContracts();
        assertThat(fails(ExitCodes.INPUT, "deploy", "monero", "--country", "ZZ"))
                .contains("no node fits 1 CPU, 1.0 GiB memory, 1.0 GiB SSD: of 3 node(s), 3 excluded by --country ZZ");
        String cpus = fails(ExitCodes.INPUT, "deploy", "monero", "--size", "L");
        assertThat(cpus).contains("no node fits 4 CPU").contains("3 excluded by free CPU (need 4)");
        assertThat(liveContracts()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aUserWhoCannotPayIsToldBeforeAnythingIsCreated() throws Exception {
        Path poor = home.resolve("poor.key");
        ok("identity", "new", "--out", poor.toString());
        int before = liveContracts();
        assertThat(fails(ExitCodes.INPUT, "deploy", "monero", "--identity", poor.toString()))
                .contains("holds 0 units").containsPattern("costs " + DEFAULT_MONERO_PRICE + " units an hour on node \\d+ \\(farm devnet-farm-\\d, pricing policy 1 default\\): fund it first")
                .contains("nothing was created");
        assertThat(liveContracts()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aFarmsNonDefaultPricingPolicyChangesThePriceShown() throws Exception {
        DevnetLayout layout = new DevnetLayout(home.resolve("devnet"));
        ChainApiClient chain = new ChainApiClient(api);
        Ed25519KeyPair council = ChainKeys.readSeed("--key", layout.key("validator-1"));
        Ed25519KeyPair farmer = ChainKeys.readSeed("--key", layout.key("farmer-2"));
        long farm = get("/v1/farms?name=devnet-farm-2").get(0).get("id").asLong();
        // Governance adds a policy three times the default; farm 2's owner then sells at it.
        PricingPolicy premium = new PricingPolicy(2, "premium", 300_000, 150_000, 15_000, 40_000, 2_500, 50);
        final_(chain, council, new Transaction.Propose(new ProposalAction.SetPricingPolicy(premium), 1, 8));
        // The devnet's first proposal (a vote on any other id is refused, and final_ fails on a refusal).
        long proposal = 1;
        final_(chain, council, new Transaction.Vote(proposal, Optional.empty(), true));
        final_(chain, farmer, new Transaction.Vote(proposal, Optional.of(farm), true));
        await("the proposal to pass", () -> HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/pricing-policies/2")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        final_(chain, farmer, new Transaction.SetFarmPricing(farm, 2));

        Path poor = home.resolve("poor-2.key");
        ok("identity", "new", "--out", poor.toString());
        assertThat(fails(ExitCodes.INPUT, "deploy", "monero", "--identity", poor.toString(), "--farm", "devnet-farm-2"))
                .containsPattern("costs " + (3 * DEFAULT_MONERO_PRICE) + " units an hour on node \\d+ \\(farm devnet-farm-2, pricing policy 2 premium\\)");
        assertThat(fails(ExitCodes.INPUT, "deploy", "monero", "--identity", poor.toString(), "--farm", "devnet-farm-1"))
                .containsPattern("costs " + DEFAULT_MONERO_PRICE + " units an hour on node \\d+ \\(farm devnet-farm-1, pricing policy 1 default\\)");
    }

    /** Signs and submits {@code payload} from {@code key}, waits until final, and fails on a refusal. */
    private static void final_(ChainApiClient chain, Ed25519KeyPair key, Transaction payload) throws InterruptedException {
        var hash = chain.signAndSubmit(key, payload);
        assertThat(chain.awaitFinal(hash, payload.getClass().getSimpleName()).refusal()).as(payload.toString()).isEmpty();
    }

    @Test
    @Order(4)
    void aFailingWorkloadIsRolledBackWithTheNodesReason() throws Exception {
        Path template = home.resolve("broken.yaml");
        Files.writeString(template, """
                name: broken
                sizes:
                  S: {cpu: 100, memory: 64M, disk: 16M}
                workloads:
                  - name: app
                    command: /bin/false
                    ports: [http]
                    restart: on-failure
                health:
                  port: http
                  timeout: 30
                """);
        int before = liveContracts();
        String err = fails(ExitCodes.UNAVAILABLE, "deploy", "--template-file", template.toString(), "--name", "broken");
        assertThat(err).containsPattern("error: node \\d+: workload broken_app failed: exited with status 1.*; contract \\d+ cancelled");
        assertThat(liveContracts()).isEqualTo(before);
        assertThat(reservedCru()).isZero();
    }

    @Test
    @Order(5)
    void aSecretFromAFileReachesOnlyTheWorkloadSealed() throws Exception {
        Path template = home.resolve("secret-web.yaml");
        Files.writeString(template, """
                name: secret-web
                parameters:
                  token-file: {description: the file holding the token}
                sizes:
                  S: {cpu: 100, memory: 64M, disk: 16M}
                workloads:
                  - name: web
                    command: /usr/bin/python3
                    args: [-m, http.server, --bind, "${host}", "${port.http}"]
                    ports: [http]
                    secrets:
                      - {name: token, from-file: token-file}
                health:
                  port: http
                  http: {method: GET, path: /}
                  timeout: 30
                endpoints:
                  web: http://${host}:${port.http}
                """);
        Path token = home.resolve("token.txt");
        Files.writeString(token, "s3cret-" + ProcessHandle.current().pid());
        JsonNode result = JSON.readTree(ok("deploy", "--template-file", template.toString(), "--name", "web", "--json",
                "--set", "token-file=" + token));
        String web = result.get("endpoints").get("web").asText();
        String served = HTTP.send(HttpRequest.newBuilder(URI.create(web + "/.secrets/token")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(served).isEqualTo(Files.readString(token));
        // The document the node stores holds the sealed form only.
        Path deployments = home.resolve("devnet").resolve("nodes");
        try (var files = Files.walk(deployments)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".deployment")).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(Files.readString(token));
            }
        }
        ok("destroy", "web");
    }

    @Test
    @Order(5)
    void declaredTemplatesWithoutTheirBinaryFailFast() throws Exception {
        int before = liveContracts();
        assertThat(fails(ExitCodes.INPUT, "deploy", "casper"))
                .contains("template casper needs the casper-node binary: pass --set binary=/path/to/casper-node");
        assertThat(fails(ExitCodes.INPUT, "deploy", "polkadot")).contains("template polkadot needs the polkadot binary");
        assertThat(fails(ExitCodes.INPUT, "deploy", "ethereum")).contains("template ethereum needs the geth binary");
        assertThat(fails(ExitCodes.INPUT, "deploy", "casper", "--set", "binary=/nonexistent/casper-node"))
                .contains("/nonexistent/casper-node is not a file on this machine");
        assertThat(liveContracts()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void applySpreadsAGroupIsIdempotentUpdatesOnlyWhatChangedAndDestroysAll() throws Exception {
        Path file = home.resolve("grid.yaml");
        Files.writeString(file, declaration("0"));
        assertThat(ok("plan", "-f", file.toString())).contains("plan: 3 to create, 0 to update, 0 unchanged");
        String applied = ok("apply", "-f", file.toString());
        assertThat(applied).contains("+ m1: healthy").contains("+ m2: healthy").contains("+ m3: healthy");
        Set<Long> farms = new HashSet<>();
        Set<Long> nodes = new HashSet<>();
        JsonNode ledgerNodes = get("/v1/nodes");
        for (JsonNode c : get("/v1/contracts")) {
            if (!c.get("state").get("type").asText().equals("Deleted")) {
                long node = c.get("kind").get("nodeId").asLong();
                nodes.add(node);
                for (JsonNode n : ledgerNodes) {
                    if (n.get("id").asLong() == node) {
                        farms.add(n.get("farmId").asLong());
                    }
                }
            }
        }
        assertThat(nodes).hasSize(3);
        assertThat(farms).hasSize(3);
        List<String> hashes = hashes();

        assertThat(ok("apply", "-f", file.toString())).contains("plan: 0 to create, 0 to update, 3 unchanged");
        assertThat(hashes()).isEqualTo(hashes);

        Files.writeString(file, declaration("1"));
        assertThat(ok("plan", "-f", file.toString())).contains("~ m2").contains("plan: 0 to create, 1 to update, 2 unchanged");
        assertThat(ok("apply", "-f", file.toString())).contains("~ m2: updated");
        List<String> after = hashes();
        assertThat(after.get(0)).isEqualTo(hashes.get(0));
        assertThat(after.get(1)).isNotEqualTo(hashes.get(1));
        assertThat(after.get(2)).isEqualTo(hashes.get(2));
        String status = ok("status", "m2");
        assertThat(status).contains("m2_monerod v2  ok").contains("m2_monerod-data v1  ok").contains("health healthy");

        // m3 dropped from the file: plan proposes destroying it, apply destroys it and nothing else.
        Files.writeString(file, declaration("1").lines().filter(l -> !l.contains("m3")).map(l -> l + "\n")
                .reduce("", String::concat));
        assertThat(ok("plan", "-f", file.toString())).contains("- m3 (monero): destroy, no longer declared")
                .contains("plan: 0 to create, 0 to update, 2 unchanged, 1 to destroy");
        assertThat(ok("apply", "-f", file.toString())).contains("- m3: destroyed (contract ").doesNotContain("m1: destroyed")
                .doesNotContain("m2: destroyed");
        assertThat(hashes()).containsExactly(after.get(0), after.get(1));
        assertThat(ok("ls")).contains("m1").contains("m2").doesNotContain("m3");
        assertThat(ok("plan", "-f", file.toString())).contains("plan: 0 to create, 0 to update, 2 unchanged, 0 to destroy");

        assertThat(ok("destroy", "-f", file.toString())).contains("m1: destroyed").contains("m2: destroyed");
        assertThat(liveContracts()).isZero();
        assertThat(ok("ls").strip().lines().count()).isEqualTo(1);
    }

    private static String declaration(String m2LogLevel) {
        return """
                deployments:
                  - {name: m1, template: monero, group: validators}
                  - {name: m2, template: monero, group: validators, set: {log-level: "%s"}}
                  - {name: m3, template: monero, group: validators}
                """.formatted(m2LogLevel);
    }

    /** The deployment hashes of the live contracts, by contract id. */
    private static List<String> hashes() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode c : get("/v1/contracts")) {
            if (!c.get("state").get("type").asText().equals("Deleted")) {
                out.add(c.get("kind").get("deploymentHash").asText());
            }
        }
        return out;
    }

    @Test
    @Order(6)
    void aQuiltFullnodeFollowsTheChainHead() throws Exception {
        assumeTrue(QuiltRun.of("chain", "run", "--help").out().contains("--follow"),
                "quilt chain run has no --follow (the chain's follower mode) in this build");
        Path jar = Path.of("target", "quilt.jar").toAbsolutePath();
        assumeTrue(Files.isRegularFile(jar), "needs the packaged cli/target/quilt.jar (mvn verify packages it first)");
        // The sandbox sees /opt of the node, so the jar and the genesis go there for the test's life.
        Path opt = Files.createDirectories(Path.of("/opt", "quilt-it-" + ProcessHandle.current().pid()));
        try {
            Files.copy(jar, opt.resolve("quilt.jar"));
            Files.copy(home.resolve("devnet").resolve("genesis.bin"), opt.resolve("genesis.bin"));
            JsonNode result = JSON.readTree(ok("deploy", "quilt-fullnode", "--name", "follower", "--json",
                    "--set", "jar=" + opt.resolve("quilt.jar"), "--set", "genesis=" + opt.resolve("genesis.bin")));
            String followerApi = result.get("endpoints").get("api").asText();
            long head = get("/v1/status").get("height").asLong();
            await("the follower to reach head " + head, () -> JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create(followerApi + "status")).build(), HttpResponse.BodyHandlers.ofString()).body()).get("height").asLong() >= head);
            ok("destroy", "follower");
        } finally {
            try (var files = Files.list(opt)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(opt);
        }
    }

    @Test
    @Order(8)
    void theDevnetComesBackAfterItsSupervisorAndANodeAreKilled() throws Exception {
        Path run = home.resolve("devnet").resolve("run");
        long node = Long.parseLong(Files.readString(run.resolve("node-2.pid")).strip());
        ProcessHandle.of(node).orElseThrow().destroyForcibly();
        await("node-2 to be restarted by the supervisor", () -> {
            String pid = Files.exists(run.resolve("node-2.pid")) ? Files.readString(run.resolve("node-2.pid")).strip() : "";
            return !pid.isEmpty() && Long.parseLong(pid) != node && QuiltRun.of("devnet", "status").exitCode() == ExitCodes.OK;
        });
        String before = ok("devnet", "status").replaceAll("PID.*", "").replaceAll("pid \\d+", "");

        long supervisor = Long.parseLong(Files.readString(run.resolve("supervisor.pid")).strip());
        ProcessHandle.of(supervisor).orElseThrow().destroyForcibly();
        await("the supervisor to be gone", () -> ProcessHandle.of(supervisor).map(p -> !p.isAlive()).orElse(true));
        String again = ok("devnet", "up");
        assertThat(again).contains("supervisor pid");
        long nodesOnLedger = get("/v1/nodes").size();
        assertThat(nodesOnLedger).isEqualTo(3);
        JsonNode result = JSON.readTree(ok("deploy", "monero", "--name", "after", "--json"));
        assertThat(getInfo(result.get("endpoints").get("rpc").asText()).at("/result/status").asText()).isEqualTo("OK");
        ok("destroy", "after");
        assertThat(before).contains("node-1").contains("node-3");
    }

    /**
     * A node whose ledger endpoint leads to another node's intake (an operator's mistake a user can
     * meet: two agents behind one forwarded address): the ledger accepts the contract for it, and
     * the agent that answers refuses the signed document, which names another node. The contract is
     * rolled back.
     */
    @Test
    @Order(9)
    void aNodeRefusingTheDocumentRollsTheContractBack() throws Exception {
        DevnetLayout layout = new DevnetLayout(home.resolve("devnet"));
        String victim = null;
        for (JsonNode n : get("/v1/nodes")) {
            victim = victim == null ? n.get("endpoint").asText() : victim;
        }
        Path key = home.resolve("stray-node.key");
        ok("identity", "new", "--out", key.toString());
        long farm = get("/v1/farms?name=devnet-farm-1").get(0).get("id").asLong();
        Path data = Files.createDirectories(home.resolve("stray-node"));
        List<String> command = Launcher.quilt("node", "run", "--chain", api, "--genesis", layout.genesis().toString(),
                "--key", key.toString(), "--farm", Long.toString(farm), "--data", data.toString(),
                "--intake", "127.0.0.1:" + freePort(), "--endpoint", victim, "--zdb", "127.0.0.1:" + freePort(),
                "--country", "BE", "--city", "stray", "--cpus", "1", "--memory", Long.toString(2L << 30),
                "--disk", Long.toString(100L << 30), "--attest-every", "20", "--resync-every", "2");
        Process stray = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(data.resolve("agent.log").toFile()).start();
        try {
            String publicKey = ChainKeys.readSeed("--key", key).publicKey().hex();
            long[] node = {-1};
            await("the stray node to be registered and attested", () -> {
                JsonNode twins = get("/v1/twins?account=" + publicKey);
                if (twins.isEmpty()) {
                    return false;
                }
                for (JsonNode n : get("/v1/nodes")) {
                    if (n.get("twinId").asLong() == twins.get(0).get("id").asLong() && !n.get("attestedWindows").isEmpty()) {
                        node[0] = n.get("id").asLong();
                    }
                }
                return node[0] > 0;
            });
            long twin = get("/v1/twins?account=" + ChainKeys.readSeed("--key", layout.userKey()).publicKey().hex()).get(0).get("id").asLong();

            QuiltRun run = QuiltRun.of("deploy", "monero", "--name", "refused", "--node", Long.toString(node[0]));
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.UNAVAILABLE);
            List<String> errors = run.err().lines().filter(l -> l.startsWith("error:")).toList();
            assertThat(errors).as(run.err()).hasSize(1);
            assertThat(errors.get(0)).matches("error: node " + node[0] + " refused the deployment: signed for node " + node[0]
                    + ", not this node \\d+; contract \\d+ cancelled");
            assertThat(get("/v1/contracts?twin=" + twin + "&state=created")).isEmpty();
            long contract = Long.parseLong(errors.get(0).replaceAll(".*contract (\\d+) cancelled", "$1"));
            JsonNode cancelled = null;
            for (JsonNode c : get("/v1/contracts?twin=" + twin + "&state=deleted")) {
                cancelled = c.get("id").asLong() == contract ? c : cancelled;
            }
            assertThat(cancelled).as("contract " + contract + " deleted on the ledger").isNotNull();
            assertThat(cancelled.get("kind").get("nodeId").asLong()).isEqualTo(node[0]);
            for (JsonNode n : get("/v1/nodes")) {
                if (n.get("id").asLong() == node[0]) {
                    assertThat(n.get("reserved").get("cru").asLong()).isZero();
                    assertThat(n.get("reserved").get("mru").asLong()).isZero();
                    assertThat(n.get("reserved").get("sru").asLong()).isZero();
                }
            }
            assertThat(ok("ls").strip().lines().count()).isEqualTo(1);
        } finally {
            stray.destroy();
            if (!stray.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                stray.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
