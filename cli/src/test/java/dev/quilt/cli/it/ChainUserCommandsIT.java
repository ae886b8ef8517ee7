package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.ChainHttpApi;
import dev.quilt.chain.ChainNode;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.Location;
import dev.quilt.chain.Resources;
import dev.quilt.chain.SignedTransaction;
import dev.quilt.chain.Transaction;
import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quilt identity, chain init, transfer, balance, farm create and contracts against a real one-validator chain on loopback. */
class ChainUserCommandsIT {
    @TempDir
    Path dir;

    /** A running one-validator chain and its HTTP API. */
    record Chain(ChainNode node, ChainHttpApi api) implements AutoCloseable {
        String url() {
            return "http://127.0.0.1:" + api.address().getPort();
        }

        @Override
        public void close() throws Exception {
            try (node) {
                api.close();
            }
        }
    }

    /** Starts the validator whose key is v1.key on the genesis in genesis.bin, both made on the command line. */
    Chain startChain() throws Exception {
        Genesis genesis = Genesis.decode(Files.readAllBytes(dir.resolve("genesis.bin")));
        ChainNode.Peer peer = new ChainNode.Peer("v1", new InetSocketAddress("127.0.0.1", FreePorts.next()), false);
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(HexFormat.of().parseHex(Files.readString(dir.resolve("v1.key")).strip()));
        ChainNode node = ChainNode.start(new ChainNode.Config("v1", dir.resolve("data"), List.of(peer), genesis,
                Optional.of(key), Duration.ofMillis(200), () -> System.currentTimeMillis() / 1000, 1000));
        try {
            return new Chain(node, ChainHttpApi.start(node, new InetSocketAddress("127.0.0.1", 0)));
        } catch (Exception e) {
            node.close();
            throw e;
        }
    }

    /** Signs {@code payloads} in order with the key's next nonces, submits them and waits until the last is final. */
    static void submitAll(ChainClient client, Ed25519KeyPair key, Transaction... payloads) throws Exception {
        ChainClient.Status status = client.status();
        long nonce = client.account(key.publicKey()).nonce();
        Hash256 last = null;
        for (Transaction payload : payloads) {
            last = client.submit(SignedTransaction.sign(key, status.chainId(), nonce++, status.height() + 100, payload));
        }
        assertThat(client.awaitFinal(last, Duration.ofSeconds(30)).refusal()).isEmpty();
    }

    String run(String... args) {
        QuiltRun run = QuiltRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        return run.out().strip();
    }

    @Test
    void aTransferSignedOnTheCommandLineBecomesFinalAndMovesTheBalance() throws Exception {
        String validator = run("identity", "new", "--out", dir.resolve("v1.key").toString());
        String alice = run("identity", "new", "--out", dir.resolve("alice.key").toString());
        String bob = run("identity", "new", "--out", dir.resolve("bob.key").toString());
        assertThat(run("identity", "show", "--key", dir.resolve("alice.key").toString())).isEqualTo(alice);
        run("chain", "init", "--out", dir.resolve("genesis.bin").toString(), "--chain-id", "cli-test",
                "--validator", validator, "--balance", alice + "=1000");

        try (Chain chain = startChain()) {
            String url = chain.url();
            String transfer = run("transfer", "--api", url, "--key", dir.resolve("alice.key").toString(), "--to", bob,
                    "--amount", "250", "--wait");
            assertThat(transfer).matches("submitted [0-9a-f]{64}\nfinal in block \\d+: accepted");
            assertThat(run("balance", "--api", url, bob)).isEqualTo("250 (nonce 0)");
            assertThat(run("balance", "--api", url, alice)).isEqualTo("750 (nonce 1)");

            QuiltRun tooMuch = QuiltRun.of("transfer", "--api", url, "--key", dir.resolve("alice.key").toString(), "--to", bob,
                    "--amount", "5000", "--wait");
            assertThat(tooMuch.exitCode()).isEqualTo(ExitCodes.INPUT);
            assertThat(tooMuch.out()).endsWith(": refused: insufficient balance: 750 < 5000\n");
        }
        QuiltRun down = QuiltRun.of("balance", "--api", "http://127.0.0.1:1", bob);
        assertThat(down.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(down.err()).startsWith("error: cannot reach the chain API at http://127.0.0.1:1/");
    }

    @Test
    void aFarmCreatedOnTheCommandLineShowsUpAndContractsAreListed() throws Exception {
        String validator = run("identity", "new", "--out", dir.resolve("v1.key").toString());
        String farmer = run("identity", "new", "--out", dir.resolve("farmer.key").toString());
        String user = run("identity", "new", "--out", dir.resolve("user.key").toString());
        run("chain", "init", "--out", dir.resolve("genesis.bin").toString(), "--chain-id", "cli-farm-test",
                "--validator", validator, "--balance", user + "=1000000000");
        String farmerKey = dir.resolve("farmer.key").toString();
        try (Chain chain = startChain()) {
            String url = chain.url();
            String created = run("farm", "create", "--api", url, "--key", farmerKey, "--name", "green-acres", "--wait");
            assertThat(created).matches("key " + farmer + " has no twin: creating one first\n"
                    + "submitted [0-9a-f]{64} \\(create twin\\)\n"
                    + "final in block \\d+: twin 1 created\n"
                    + "submitted [0-9a-f]{64} \\(create farm 'green-acres'\\)\n"
                    + "final in block \\d+: accepted, farm 1");
            ChainClient client = new ChainClient(URI.create(url));
            assertThat(client.farmNamed("green-acres")).hasValue(1);
            assertThat(client.twinOf(Ed25519PublicKey.fromHex(farmer))).hasValue(1);

            QuiltRun duplicate = QuiltRun.of("farm", "create", "--api", url, "--key", farmerKey, "--name", "green-acres", "--wait");
            assertThat(duplicate.exitCode()).isEqualTo(ExitCodes.INPUT);
            assertThat(duplicate.out()).doesNotContain("twin")
                    .endsWith(": refused: farm name 'green-acres' is taken by farm 1\n");

            // A node under the farm and a user with a node contract and a name contract, made through ChainClient.
            Ed25519KeyPair node = Ed25519KeyPair.generate();
            long gib = 1L << 30;
            submitAll(client, node, new Transaction.CreateTwin(Optional.empty()),
                    new Transaction.RegisterNode(1, new Resources(8, 32 * gib, 1000 * gib, 0), new Location("BE", "Ghent"),
                            "http://127.0.0.1:1"));
            Ed25519KeyPair userKey = Ed25519KeyPair.fromSeed(
                    HexFormat.of().parseHex(Files.readString(dir.resolve("user.key")).strip()));
            submitAll(client, userKey, new Transaction.CreateTwin(Optional.empty()),
                    new Transaction.CreateNodeContract(1, Hash256.fromHex("ab".repeat(32)), new Resources(2, 4 * gib, 50 * gib, 0), 0),
                    new Transaction.CreateNameContract("blog"));

            assertThat(run("contracts", "--api", url, "--key", dir.resolve("user.key").toString())).isEqualTo("""
                    ID  TWIN  KIND  NODE  STATE    RESOURCES                       DEPLOYMENT
                    1   3     node  1     created  2 cpu, 4G mem, 50G ssd, 0G hdd  abababababababab
                    2   3     name  -     created  name blog                       -""");
            assertThat(run("contracts", "--api", url, "--twin", "3", "--node", "1", "--state", "created", "--json"))
                    .isEqualTo("[{\"id\":1,\"twin\":3,\"kind\":\"node\",\"node\":1,\"state\":\"created\","
                            + "\"resources\":{\"cru\":2,\"mru\":" + 4 * gib + ",\"sru\":" + 50 * gib + ",\"hru\":0},"
                            + "\"deploymentHash\":\"" + "ab".repeat(32) + "\",\"name\":null}]");
            assertThat(run("contracts", "--api", url, "--state", "grace")).isEqualTo(
                    "ID  TWIN  KIND  NODE  STATE  RESOURCES  DEPLOYMENT");

            QuiltRun badState = QuiltRun.of("contracts", "--api", url, "--state", "gone");
            assertThat(badState.exitCode()).isEqualTo(ExitCodes.INPUT);
            assertThat(badState.err()).isEqualTo("error: --state: gone (expected: created, grace or deleted)\n");
            QuiltRun noTwin = QuiltRun.of("contracts", "--api", url, "--key", dir.resolve("v1.key").toString());
            assertThat(noTwin.exitCode()).isEqualTo(ExitCodes.INPUT);
            assertThat(noTwin.err()).isEqualTo("error: --key: " + validator + " has no twin on this chain\n");
        }
    }
}
