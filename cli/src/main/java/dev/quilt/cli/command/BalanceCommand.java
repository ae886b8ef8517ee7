package dev.quilt.cli.command;

import dev.quilt.chain.Account;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt balance KEY}: an account's balance and nonce, from a chain node's API. */
@Command(name = "balance", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Show an account's balance.")
public final class BalanceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "The account's public key (hex).")
    private String key;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:8545", description = "Chain API (default: ${DEFAULT-VALUE}).")
    private String api;

    @Override
    public Integer call() {
        Ed25519PublicKey owner = ChainKeys.publicKey("KEY", key);
        Account account = new ChainApiClient(api).call(c -> c.account(owner));
        spec.commandLine().getOut().println(account.balance() + " (nonce " + account.nonce() + ")");
        return 0;
    }
}
