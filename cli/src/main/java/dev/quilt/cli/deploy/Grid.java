package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import dev.quilt.cli.command.ChainApiClient;
import dev.quilt.cli.command.ChainKeys;
import dev.quilt.cli.devnet.Devnet;
import dev.quilt.cli.devnet.DevnetConfig;
import dev.quilt.cli.devnet.QuiltHome;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The grid a deployment command talks to and the identity it signs with: {@code --chain}, else
 * {@code $QUILT_CHAIN}, else {@code chain = "…"} in {@code $QUILT_HOME/config.toml}; when none is
 * configured, the local devnet, started if it is not running. The identity: {@code --identity},
 * else {@code identity = "…"} in the config file, else the devnet's funded user.
 */
public record Grid(URI api, String chainId, Ed25519KeyPair user, boolean local, ChainApiClient chain) {
    /** Devnet sizes when a deployment command has to create it: three farms, so a group can spread. */
    static final int DEVNET_NODES = 3;
    static final int DEVNET_FARMS = 3;

    public static Grid resolve(Optional<String> chainOption, Optional<Path> identityOption, Optional<Path> devnetDir, PrintWriter err) {
        Map<String, String> config = config();
        Optional<String> chain = chainOption.or(() -> Optional.ofNullable(System.getenv("QUILT_CHAIN")).filter(s -> !s.isBlank()))
                .or(() -> Optional.ofNullable(config.get("chain")));
        Optional<Path> identity = identityOption.or(() -> Optional.ofNullable(config.get("identity")).map(Path::of));
        if (chain.isPresent()) {
            if (identity.isEmpty()) {
                throw CliException.input("--identity FILE: which key pays for deployments on " + chain.get()
                        + " (or identity = \"FILE\" in " + QuiltHome.dir().resolve("config.toml") + ")");
            }
            return connect(chain.get(), ChainKeys.readSeed("--identity", identity.get()), false);
        }
        Devnet devnet = new Devnet(QuiltHome.devnet(devnetDir.orElse(null)));
        DevnetConfig dc;
        try {
            dc = devnet.exists() && devnet.supervisorRunning() && devnet.status(devnet.config()).ready()
                    ? devnet.config() : devnet.up(1, DEVNET_FARMS, DEVNET_NODES, err);
        } catch (IOException e) {
            throw CliException.unavailable("cannot start the local devnet in " + devnet.layout().dir() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while starting the devnet", e);
        }
        return connect(dc.apiUrl(), ChainKeys.readSeed("--identity", identity.orElse(devnet.layout().userKey())), true);
    }

    private static Grid connect(String url, Ed25519KeyPair user, boolean local) {
        ChainApiClient chain = new ChainApiClient(url);
        String chainId = chain.call(c -> c.status()).chainId();
        URI api = URI.create(url.endsWith("/") ? url : url + "/");
        return new Grid(api, chainId, user, local, chain);
    }

    /** {@code key = "value"} lines of {@code config.toml}; enough for the two keys read here. */
    private static Map<String, String> config() {
        Path file = QuiltHome.dir().resolve("config.toml");
        Map<String, String> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.strip().startsWith("#")) {
                    out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replaceAll("^\"|\"$", ""));
                }
            }
        } catch (IOException e) {
            throw CliException.input("cannot read " + file + " (" + e.getMessage() + ")");
        }
        return out;
    }
}
