package dev.quilt.cli;

import dev.quilt.cli.command.BalanceCommand;
import dev.quilt.cli.command.ChainCommand;
import dev.quilt.cli.command.ContractsCommand;
import dev.quilt.cli.command.FarmCommand;
import dev.quilt.cli.command.FsCommand;
import dev.quilt.cli.command.IdentityCommand;
import dev.quilt.cli.command.NodeCommand;
import dev.quilt.cli.command.SnapshotCommand;
import dev.quilt.cli.command.TransferCommand;
import dev.quilt.cli.command.ZdbCommand;
import dev.quilt.cli.command.ZstorCommand;
import dev.quilt.cli.deploy.ApplyCommand;
import dev.quilt.cli.deploy.DeployCommand;
import dev.quilt.cli.deploy.DestroyCommand;
import dev.quilt.cli.deploy.LogsCommand;
import dev.quilt.cli.deploy.LsCommand;
import dev.quilt.cli.deploy.PlanCommand;
import dev.quilt.cli.deploy.StatusCommand;
import dev.quilt.cli.devnet.DevnetCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code quilt}: the root command and the program's entry point.
 *
 * <p>It parses the line, sets the log level from {@code -v}, runs the subcommand, and turns whatever it
 * threw into one {@code error:} line and an exit code ({@link ExitCodes}).
 */
@Command(name = "quilt",
        mixinStandardHelpOptions = true,
        versionProvider = Quilt.VersionProvider.class,
        usageHelpWidth = 100,
        description = "Run layer-1 blockchain nodes on community-owned hardware.",
        subcommands = {DeployCommand.class, LsCommand.class, StatusCommand.class, LogsCommand.class, DestroyCommand.class,
                PlanCommand.class, ApplyCommand.class, DevnetCommand.class, IdentityCommand.class, BalanceCommand.class,
                TransferCommand.class, FarmCommand.class, ContractsCommand.class, ChainCommand.class, NodeCommand.class,
                ZdbCommand.class, ZstorCommand.class, SnapshotCommand.class, FsCommand.class})
public final class Quilt implements Runnable {
    @Mixin
    private GlobalOptions globalOptions;

    @Spec
    private CommandSpec spec;

    /**
     * Netty samples one buffer allocation in 128 to track leaks, filling in a stack trace each time; the daemons
     * allocate two buffers per request, so that costs a few percent of a busy server's CPU. Tests keep the
     * detector (they run commands through {@link #run}); the real process turns it off unless told otherwise.
     */
    private static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            System.setProperty(NETTY_LEAK_DETECTION, "disabled");
        }
        System.exit(run(args));
    }

    /** Runs {@code quilt args} on the real server launcher, printing to stdout/stderr; returns the exit code. */
    public static int run(String... args) {
        return commandLine(CommandLine.defaultFactory()).execute(args);
    }

    /**
     * A configured {@code quilt} command line whose subcommands are created by {@code factory}, so tests can
     * hand a command its collaborators; {@link CommandLine#setOut}/{@link CommandLine#setErr} capture output.
     */
    public static CommandLine commandLine(IFactory factory) {
        Quilt quilt = new Quilt();
        CommandLine line = new CommandLine(quilt, factory);
        ErrorHandler errors = new ErrorHandler(quilt.globalOptions);
        line.setExecutionExceptionHandler(errors);
        line.setParameterExceptionHandler(errors);
        line.setExitCodeExceptionMapper(new ExitCodeMapper());
        line.setExecutionStrategy(parseResult -> {
            Logging.configure(quilt.globalOptions.verbosity());
            return new CommandLine.RunLast().execute(parseResult);
        });
        return line;
    }

    GlobalOptions globalOptions() {
        return globalOptions;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** The version the build wrote into {@code version.properties}. */
    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = Quilt.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"quilt " + properties.getProperty("version", "unknown")};
        }
    }
}
