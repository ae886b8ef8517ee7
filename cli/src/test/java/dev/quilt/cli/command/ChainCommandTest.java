package dev.quilt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.Genesis;
import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainCommandTest {
    @TempDir
    Path dir;

    String newIdentity(String name) {
        QuiltRun run = QuiltRun.of("identity", "new", "--out", dir.resolve(name).toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        return run.out().strip();
    }

    @Test
    void initWritesAGenesisWithValidatorsBalancesAndFaucet() throws Exception {
        String v1 = newIdentity("v1.key");
        String v2 = newIdentity("v2.key");
        String user = newIdentity("user.key");
        Path genesis = dir.resolve("genesis.bin");
        QuiltRun run = QuiltRun.of("chain", "init", "--out", genesis.toString(), "--chain-id", "devnet-1",
                "--validator", v1, "--validator", v2, "--balance", user + "=5000", "--faucet", "1000", "--time", "1800000000");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        Genesis decoded = Genesis.decode(Files.readAllBytes(genesis));
        assertThat(run.out()).startsWith("genesis " + genesis + ": chain devnet-1, 2 validators, 1 balances, faucet up to 1000, header ")
                .contains(decoded.header().hash().toString());
        assertThat(decoded.time()).isEqualTo(1_800_000_000L);
        assertThat(decoded.state().params().validators()).containsExactlyInAnyOrder(Ed25519PublicKey.fromHex(v1), Ed25519PublicKey.fromHex(v2));
        assertThat(decoded.state().account(Ed25519PublicKey.fromHex(user)).balance()).isEqualTo(5000);
        assertThat(decoded.state().params().faucetLimit()).isEqualTo(1000);
        assertThat(Files.readString(dir.resolve("v1.key")).strip()).hasSize(64);
    }

    @Test
    void mistakesGetOneLineErrors() throws Exception {
        String v1 = newIdentity("v1.key");
        QuiltRun badKey = QuiltRun.of("chain", "init", "--out", dir.resolve("g").toString(), "--chain-id", "c", "--validator", "zz");
        assertThat(badKey.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(badKey.err()).isEqualTo("error: --validator: 'zz' (expected: a public key as 64 hex digits)\n");
        QuiltRun badAmount = QuiltRun.of("chain", "init", "--out", dir.resolve("g").toString(), "--chain-id", "c",
                "--validator", v1, "--balance", v1 + "=-1");
        assertThat(badAmount.err()).isEqualTo("error: --balance " + v1 + "=-1 (expected: a positive integer amount)\n");
        QuiltRun again = QuiltRun.of("identity", "new", "--out", dir.resolve("v1.key").toString());
        assertThat(again.err()).isEqualTo("error: --out: " + dir.resolve("v1.key") + " already exists; refusing to overwrite a key\n");

        Path genesis = dir.resolve("genesis.bin");
        assertThat(QuiltRun.of("chain", "init", "--out", genesis.toString(), "--chain-id", "c", "--validator", v1).exitCode())
                .isEqualTo(ExitCodes.OK);
        String other = newIdentity("other.key");
        QuiltRun notValidator = QuiltRun.of("chain", "run", "--genesis", genesis.toString(), "--id", "v1",
                "--peer", "v1=127.0.0.1:1", "--key", dir.resolve("other.key").toString());
        assertThat(notValidator.err()).isEqualTo("error: --key: " + other + " is not a validator of chain c\n");
        QuiltRun badPeer = QuiltRun.of("chain", "run", "--genesis", genesis.toString(), "--id", "v1", "--peer", "v1=nowhere");
        assertThat(badPeer.err()).isEqualTo("error: --peer v1: 'nowhere' (expected: HOST:PORT, e.g. 127.0.0.1:9100)\n");
        QuiltRun notAGenesis = QuiltRun.of("chain", "run", "--genesis", dir.resolve("v1.key").toString(), "--id", "v1",
                "--peer", "v1=127.0.0.1:1");
        assertThat(notAGenesis.err()).startsWith("error: --genesis: " + dir.resolve("v1.key") + " is not a genesis file: ");
        QuiltRun unknownId = QuiltRun.of("chain", "run", "--genesis", genesis.toString(), "--id", "v9", "--peer", "v1=127.0.0.1:1");
        assertThat(unknownId.err()).isEqualTo("error: --id: id: v9 (expected: one of the peers [v1])\n");
        QuiltRun noPeers = QuiltRun.of("chain", "run", "--genesis", genesis.toString());
        assertThat(noPeers.err()).isEqualTo("error: --id and --peer are required to run a validator or full node (or use --follow URL)\n");
    }

    @Test
    void followerFlagsGetOneLineErrors() throws Exception {
        String v1 = newIdentity("v1.key");
        Path genesis = dir.resolve("genesis.bin");
        assertThat(QuiltRun.of("chain", "init", "--out", genesis.toString(), "--chain-id", "c", "--validator", v1).exitCode())
                .isEqualTo(ExitCodes.OK);
        QuiltRun notUrl = QuiltRun.of("chain", "run", "--genesis", genesis.toString(), "--follow", "127.0.0.1:8545");
        assertThat(notUrl.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(notUrl.err()).isEqualTo("error: --follow: 127.0.0.1:8545 (expected: an http URL such as http://127.0.0.1:8545)\n");
        QuiltRun withKey = QuiltRun.of("chain", "run", "--genesis", genesis.toString(), "--follow", "http://127.0.0.1:1",
                "--key", dir.resolve("v1.key").toString());
        assertThat(withKey.err()).isEqualTo("error: --follow: a follower takes no --id, --peer, --full-node or --key "
                + "(it joins no Ratis group and signs nothing)\n");
        QuiltRun badGenesis = QuiltRun.of("chain", "run", "--genesis", dir.resolve("v1.key").toString(), "--follow",
                "http://127.0.0.1:1");
        assertThat(badGenesis.err()).startsWith("error: --genesis: " + dir.resolve("v1.key") + " is not a genesis file: ");
        assertThat(QuiltRun.of("chain", "run", "--help").out()).contains("--follow=URL");
    }
}
