package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.ChainHttpApi;
import dev.quilt.chain.ChainNode;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.Snapshot;
import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.common.crypto.Ed25519KeyPair;
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

/** {@code quilt snapshot create --publish} and {@code quilt snapshot ls --api} against a one-validator chain and seven zdbs. */
class SnapshotPublishIT {
    @TempDir
    Path dir;

    private String run(String... args) {
        QuiltRun run = QuiltRun.of(args);
        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(ExitCodes.OK);
        return run.out().strip();
    }

    @Test
    void aPublishedSnapshotIsOnTheLedgerWithItsManifestHash() throws Exception {
        String validator = run("identity", "new", "--out", dir.resolve("v1.key").toString());
        String publisher = run("identity", "new", "--out", dir.resolve("pub.key").toString());
        run("identity", "new", "--out", dir.resolve("nobody.key").toString());
        run("chain", "init", "--out", dir.resolve("genesis.bin").toString(), "--chain-id", "snap-test",
                "--validator", validator, "--balance", publisher + "=1000000000");
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("blocks.dat"), "some blocks");
        try (ZstorBackends backends = new ZstorBackends(dir, 7)) {
            Path config = backends.writeConfig(dir.resolve("zstor.toml"));
            Genesis genesis = Genesis.decode(Files.readAllBytes(dir.resolve("genesis.bin")));
            ChainNode.Peer peer = new ChainNode.Peer("v1", new InetSocketAddress("127.0.0.1", FreePorts.next()), false);
            Ed25519KeyPair key = Ed25519KeyPair.fromSeed(HexFormat.of().parseHex(Files.readString(dir.resolve("v1.key")).strip()));
            try (ChainNode node = ChainNode.start(new ChainNode.Config("v1", dir.resolve("data"), List.of(peer), genesis,
                    Optional.of(key), Duration.ofMillis(200), () -> System.currentTimeMillis() / 1000, 1000));
                    ChainHttpApi api = ChainHttpApi.start(node, new InetSocketAddress("127.0.0.1", 0))) {
                String url = "http://127.0.0.1:" + api.address().getPort();
                String[] create = {"snapshot", "create", src.toString(), "--name", "regtest-chain", "--zstor", config.toString(),
                        "--catalog", dir.resolve("catalog").toString(), "--publish", "--api", url, "--height", "1234",
                        "--source-chain", "monero-regtest"};

                QuiltRun noTwin = QuiltRun.of(withKey(create, dir.resolve("nobody.key")));
                assertThat(noTwin.exitCode()).isEqualTo(ExitCodes.INPUT);
                assertThat(noTwin.err()).contains("has no twin on the chain");

                run("farm", "create", "--api", url, "--key", dir.resolve("pub.key").toString(), "--name", "f", "--wait");
                String published = run(withKey(create, dir.resolve("pub.key")));
                assertThat(published).matches("(?s)snapshot regtest-chain ([0-9a-f]{64}): 1 files, 11 bytes.*\n"
                        + "submitted [0-9a-f]{64} \\(publish snapshot 'regtest-chain'\\)\n"
                        + "final in block \\d+: published 'regtest-chain' version 1");
                String manifest = published.substring("snapshot regtest-chain ".length(), "snapshot regtest-chain ".length() + 64);

                Snapshot onLedger = new ChainClient(URI.create(url)).snapshot("regtest-chain").orElseThrow();
                assertThat(onLedger.latest().manifestHash().hex()).isEqualTo(manifest);
                assertThat(onLedger.latest().sourceHeight()).hasValue(1234L);
                assertThat(run("snapshot", "ls", "--api", url)).contains("regtest-chain", manifest, "monero-regtest@1234");

                QuiltRun again = QuiltRun.of(withKey(create, dir.resolve("pub.key")));
                assertThat(again.exitCode()).isEqualTo(ExitCodes.INPUT);
                assertThat(again.out()).contains("refused: manifest " + manifest + " is already version 1");
            }
        }
    }

    private static String[] withKey(String[] args, Path key) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 2);
        out[args.length] = "--key";
        out[args.length + 1] = key.toString();
        return out;
    }
}
