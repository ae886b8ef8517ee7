package dev.quilt.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quilt identity}: the Ed25519 keys that sign transactions. */
@Command(name = "identity", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = "Create and show the Ed25519 keys that sign transactions.",
        subcommands = {IdentityNewCommand.class, IdentityCommand.Show.class})
public final class IdentityCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: new or show");
    }

    /** {@code quilt identity show}: the public key of a key file. */
    @Command(name = "show", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Print a key file's public key.")
    public static final class Show implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--key", paramLabel = "FILE", required = true, description = "Key file (quilt identity new).")
        private java.nio.file.Path key;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(ChainKeys.readSeed("--key", key).publicKey().hex());
            return 0;
        }
    }
}
