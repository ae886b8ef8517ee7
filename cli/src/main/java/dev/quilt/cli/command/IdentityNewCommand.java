package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quilt identity new}: a new Ed25519 key; the seed goes to a file, the public key to stdout. */
@Command(name = "new", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = "Create an Ed25519 key for an account or a validator; prints its public key.")
public final class IdentityNewCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the seed (hex); must not exist.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out)) {
            throw CliException.input("--out: " + out + " already exists; refusing to overwrite a key");
        }
        Ed25519KeyPair key = Ed25519KeyPair.generate();
        AtomicFiles.write(out, (HexFormat.of().formatHex(key.seed()) + "\n").getBytes(StandardCharsets.US_ASCII));
        spec.commandLine().getOut().println(key.publicKey().hex());
        return 0;
    }
}
