package dev.quilt.cli.devnet;

import dev.quilt.cli.CliException;
import dev.quilt.cli.command.ChainInitCommand;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine;

/**
 * Creates a devnet once: keys (0600) for validators, farmers, node agents and the user, a genesis
 * that funds them, and the loopback ports of every part. Later starts only read what it wrote, so
 * nothing is registered twice.
 */
final class DevnetCreator {
    /** Countries the devnet's farms are in, so that spread across countries can be exercised. */
    private static final List<String> COUNTRIES = List.of("BE", "NL", "DE", "FR", "CH", "AT", "IT", "ES", "PT", "DK");
    /** Enough for any test or demo; billing is real, so the user must not run dry. */
    static final long USER_BALANCE = 1_000_000_000_000_000L;
    private static final long PART_BALANCE = 1_000_000_000_000L;
    /** Seconds between bills: short, so billing is visibly at work on a devnet. */
    private static final long BILLING_PERIOD = 60;

    private DevnetCreator() {}

    static DevnetConfig create(DevnetLayout layout, int validators, int farms, int nodes) throws IOException {
        if (validators < 1 || farms < 1 || nodes < 1 || validators > 7 || farms > COUNTRIES.size() || nodes > 32) {
            throw CliException.input("--validators 1-7, --farms 1-" + COUNTRIES.size() + ", --nodes 1-32 (got "
                    + validators + ", " + farms + ", " + nodes + ")");
        }
        Files.createDirectories(layout.dir().resolve("keys"));
        List<String> args = new ArrayList<>(List.of("--out", layout.genesis().toString(), "--chain-id", "quilt-devnet",
                "--faucet", "1000000000", "--billing-period", Long.toString(BILLING_PERIOD)));
        List<Integer> raftPorts = new ArrayList<>();
        for (int v = 1; v <= validators; v++) {
            args.addAll(List.of("--validator", newKey(layout.key("validator-" + v)).publicKey().hex()));
            raftPorts.add(freePort());
        }
        List<DevnetConfig.Farm> farmList = new ArrayList<>();
        for (int f = 1; f <= farms; f++) {
            args.addAll(List.of("--balance", newKey(layout.key("farmer-" + f)).publicKey().hex() + "=" + PART_BALANCE));
            farmList.add(new DevnetConfig.Farm("devnet-farm-" + f, COUNTRIES.get(f - 1)));
        }
        List<DevnetConfig.NodeSpec> nodeList = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            String name = "node-" + n;
            args.addAll(List.of("--balance", newKey(layout.key(name)).publicKey().hex() + "=" + PART_BALANCE));
            nodeList.add(new DevnetConfig.NodeSpec(name, (n - 1) % farms, freePort(), freePort()));
        }
        args.addAll(List.of("--balance", newKey(layout.userKey()).publicKey().hex() + "=" + USER_BALANCE));
        StringWriter out = new StringWriter();
        CommandLine init = new CommandLine(new ChainInitCommand());
        init.setOut(new PrintWriter(out));
        init.setErr(new PrintWriter(out));
        if (init.execute(args.toArray(String[]::new)) != 0) {
            throw CliException.unavailable("cannot write the devnet's genesis: " + out.toString().strip(), null);
        }
        DevnetConfig config = new DevnetConfig("quilt-devnet", freePort(), raftPorts, farmList, nodeList);
        config.write(layout.dir());
        return config;
    }

    private static Ed25519KeyPair newKey(Path file) throws IOException {
        Ed25519KeyPair key = Ed25519KeyPair.generate();
        AtomicFiles.write(file, (HexFormat.of().formatHex(key.seed()) + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    /** A port free now on loopback; kept in devnet.json so the part always comes back on it. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
