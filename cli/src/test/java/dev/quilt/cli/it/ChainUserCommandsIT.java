package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.ChainHttpApi;
import dev.quilt.chain.ChainNode;
import dev.quilt.chain.Genesis;
import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quilt identity, chain init, transfer and balance against a real one-validator chain on loopback. */
class ChainUserCommandsIT {
    @TempDir
    Path dir;

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

        Genesis genesis = Genesis.decode(Files.readAllBytes(dir.resolve("genesis.bin")));
        ChainNode.Peer peer = new ChainNode.Peer("v1", new InetSocketAddress("127.0.0.1", FreePorts.next()), false);
        var key = dev.quilt.common.crypto.Ed25519KeyPair.fromSeed(
                java.util.HexFormat.of().parseHex(Files.readString(dir.resolve("v1.key")).strip()));
        try (ChainNode node = ChainNode.start(new ChainNode.Config("v1", dir.resolve("data"), List.of(peer), genesis,
                Optional.of(key), Duration.ofMillis(200), () -> System.currentTimeMillis() / 1000, 1000));
             ChainHttpApi api = ChainHttpApi.start(node, new InetSocketAddress("127.0.0.1", 0))) {
            String url = "http://127.0.0.1:" + api.address().getPort();
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
}
