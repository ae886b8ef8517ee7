package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.chain.ChainParameters;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.LedgerState;
import dev.quilt.chain.PricingPolicy;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quilt chain init}: writes a genesis file (validators, initial balances, parameters, the
 * devnet faucet) that every node of the chain starts from.
 */
@Command(name = "init", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = "Create a chain's genesis file.")
public final class ChainInitCommand implements Callable<Integer> {
    /** The default pricing policy: tfchain's reference prices, in the chain's smallest unit. */
    public static final PricingPolicy DEFAULT_POLICY = new PricingPolicy(1, "default", 100_000, 50_000, 15_000, 40_000, 2_500, 50);

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "genesis.bin", description = "Genesis file to write (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--chain-id", paramLabel = "ID", required = true, description = "The chain's name; signatures are bound to it.")
    private String chainId;

    @Option(names = "--validator", paramLabel = "KEY", required = true, description = "A validator's public key (hex); repeat for each.")
    private List<String> validators = new ArrayList<>();

    @Option(names = "--balance", paramLabel = "KEY=AMOUNT", description = "An initial balance; repeat for each account.")
    private Map<String, String> balances = new TreeMap<>();

    @Option(names = "--faucet", paramLabel = "LIMIT", defaultValue = "0",
            description = "Devnet faucet: the most one faucet transaction mints; 0 (default) disables it.")
    private long faucet;

    @Option(names = "--billing-period", paramLabel = "SEC", defaultValue = "3600", description = "Seconds between bills (default: ${DEFAULT-VALUE}).")
    private long billingPeriod;

    @Option(names = "--grace-period", paramLabel = "SEC", defaultValue = "1209600", description = "Grace before deletion (default: 14 days).")
    private long gracePeriod;

    @Option(names = "--time", paramLabel = "EPOCH", description = "Genesis time in epoch seconds (default: now).")
    private Long time;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out)) {
            throw CliException.input("--out: " + out + " already exists; a chain's genesis is written once");
        }
        List<Ed25519PublicKey> keys = validators.stream().map(v -> ChainKeys.publicKey("--validator", v)).distinct().sorted().toList();
        TreeMap<Ed25519PublicKey, Long> allocations = new TreeMap<>();
        balances.forEach((k, v) -> allocations.put(ChainKeys.publicKey("--balance", k), amount(k, v)));
        long genesisTime = time != null ? time : System.currentTimeMillis() / 1000;
        Genesis genesis;
        try {
            ChainParameters params = new ChainParameters(chainId, billingPeriod, gracePeriod, 3600, 20, 86_400, 950, 10, 50,
                    faucet, 30 * 86_400, ChainParameters.referenceDiscounts(), keys);
            genesis = new Genesis(genesisTime, LedgerState.genesis(params, List.of(DEFAULT_POLICY), allocations, genesisTime));
        } catch (IllegalArgumentException e) {
            throw CliException.input(e.getMessage());
        }
        AtomicFiles.write(out, genesis.encode());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("genesis " + out + ": chain " + chainId + ", " + keys.size() + " validators, " + allocations.size()
                + " balances, faucet " + (faucet > 0 ? "up to " + faucet : "off") + ", header " + genesis.header().hash());
        return 0;
    }

    private static long amount(String key, String text) {
        try {
            long amount = Long.parseLong(text);
            if (amount > 0) {
                return amount;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.input("--balance " + key + "=" + text + " (expected: a positive integer amount)");
    }
}
