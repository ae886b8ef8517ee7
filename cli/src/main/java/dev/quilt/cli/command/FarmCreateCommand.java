package dev.quilt.cli.command;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Transaction;
import dev.quilt.cli.ExitCodes;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quilt farm create}: signs a CreateFarm with the sender's next nonce. A farm belongs to a
 * twin, so a key without one first gets its twin, as a separate transaction that is awaited until
 * final: the farm's transaction would otherwise be refused for the missing twin.
 */
@Command(name = "create", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = {"Create a farm owned by the key's twin.",
                "A key without a twin gets one first, in its own transaction, which is awaited until final."})
public final class FarmCreateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", required = true, description = "The farmer's key file (quilt identity new).")
    private Path key;

    @Option(names = "--name", paramLabel = "NAME", required = true,
            description = "The farm's name, unique on the chain: 1-40 of A-Z a-z 0-9 _ -.")
    private String name;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:8545", description = "Chain API (default: ${DEFAULT-VALUE}).")
    private String api;

    @Option(names = "--wait", description = "Wait until the farm is in a final block and print its outcome and id.")
    private boolean await;

    @Override
    public Integer call() throws InterruptedException {
        Ed25519KeyPair owner = ChainKeys.readSeed("--key", key);
        ChainApiClient client = new ChainApiClient(api);
        PrintWriter out = spec.commandLine().getOut();
        OptionalLong twin = client.call(c -> c.twinOf(owner.publicKey()));
        if (twin.isEmpty()) {
            out.println("key " + owner.publicKey().hex() + " has no twin: creating one first");
            Hash256 twinTx = client.signAndSubmit(owner, new Transaction.CreateTwin(Optional.empty()));
            out.println("submitted " + twinTx + " (create twin)");
            out.flush();
            ChainClient.Receipt receipt = client.awaitFinal(twinTx, "twin creation");
            if (receipt.refusal().isPresent()) {
                out.println("final in block " + receipt.height() + ": refused: " + receipt.refusal().get());
                return ExitCodes.INPUT;
            }
            OptionalLong created = client.call(c -> c.twinOf(owner.publicKey()));
            out.println("final in block " + receipt.height() + ": twin " + created.orElseThrow() + " created");
        }
        Hash256 farmTx = client.signAndSubmit(owner, new Transaction.CreateFarm(name));
        out.println("submitted " + farmTx + " (create farm '" + name + "')");
        if (await) {
            ChainClient.Receipt receipt = client.awaitFinal(farmTx, "farm creation");
            Optional<String> refusal = receipt.refusal();
            if (refusal.isPresent()) {
                out.println("final in block " + receipt.height() + ": refused: " + refusal.get());
                return ExitCodes.INPUT;
            }
            OptionalLong farm = client.call(c -> c.farmNamed(name));
            out.println("final in block " + receipt.height() + ": accepted, farm " + farm.orElseThrow());
        }
        return 0;
    }
}
