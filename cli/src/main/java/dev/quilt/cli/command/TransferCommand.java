package dev.quilt.cli.command;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Transaction;
import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.nio.file.Path;
import dev.quilt.common.crypto.Hash256;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quilt transfer}: signs a transfer with the sender's key, with its next nonce and the
 * node's chain id, submits it, and with {@code --wait} follows it until its block is final.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = "Send units to another account.")
public final class TransferCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", required = true, description = "The sender's key file (quilt identity new).")
    private Path key;

    @Option(names = "--to", paramLabel = "KEY", required = true, description = "The receiver's public key (hex).")
    private String to;

    @Option(names = "--amount", paramLabel = "UNITS", required = true, description = "How many units to send.")
    private long amount;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:8545", description = "Chain API (default: ${DEFAULT-VALUE}).")
    private String api;

    @Option(names = "--wait", description = "Wait until the transfer is in a final block and print its outcome.")
    private boolean await;

    @Override
    public Integer call() throws InterruptedException {
        if (amount <= 0) {
            throw CliException.input("--amount: " + amount + " (expected: > 0)");
        }
        Ed25519KeyPair sender = ChainKeys.readSeed("--key", key);
        Transaction.Transfer transfer = new Transaction.Transfer(ChainKeys.publicKey("--to", to), amount);
        ChainApiClient client = new ChainApiClient(api);
        Hash256 hash = client.signAndSubmit(sender, transfer);
        var out = spec.commandLine().getOut();
        out.println("submitted " + hash);
        if (await) {
            ChainClient.Receipt receipt = client.awaitFinal(hash, "transfer");
            Optional<String> refusal = receipt.refusal();
            out.println("final in block " + receipt.height() + ": " + refusal.map(r -> "refused: " + r).orElse("accepted"));
            return refusal.isPresent() ? dev.quilt.cli.ExitCodes.INPUT : 0;
        }
        return 0;
    }
}
