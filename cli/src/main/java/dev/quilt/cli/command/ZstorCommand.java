package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.cli.ErrorPrefixed;
import dev.quilt.cli.GlobalOptions;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ConfigException;
import dev.quilt.zstor.config.ZstorConfig;
import dev.quilt.zstor.daemon.DaemonClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code quilt zstor --config FILE <command>}: the parent of the zstor commands. It owns {@code --config}, loads
 * it once, opens the store for the subcommand, and prefixes errors with {@code quilt zstor:}.
 */
@Command(name = "zstor",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {"Store files encrypted and erasure-coded over many zdbs; check, repair, run the daemon.",
                "The daemon also offloads a local zdb's data files: it is the target of zdb's --hook.",
                "The config is 0-stor_v2's TOML format (see zstor/example-config.toml)."},
        subcommands = {ZstorStoreCommand.class, ZstorRetrieveCommand.class, ZstorCheckCommand.class,
                ZstorRebuildCommand.class, ZstorStatusCommand.class, ZstorLsCommand.class, ZstorRmCommand.class,
                ZstorDaemonCommand.class, ZstorHookCommand.class})
public final class ZstorCommand implements Runnable, ErrorPrefixed {
    /** Opens a store; {@link Zstor#open} outside tests. */
    @FunctionalInterface
    public interface Opener {
        Zstor open(ZstorConfig config) throws IOException;
    }

    @Mixin
    private GlobalOptions globalOptions;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "The zstor config (TOML, 0-stor_v2's keys).")
    private Path configFile;

    @Option(names = "--no-daemon",
            description = "Skip a daemon on the config's socket; work on the backends directly.")
    private boolean noDaemon;

    private final Opener opener;
    private ZstorConfig config;

    /** The command as {@code quilt} runs it. */
    public ZstorCommand() {
        this(Zstor::open);
    }

    /** The command with another way to open the store (tests). */
    public ZstorCommand(Opener opener) {
        this.opener = opener;
    }

    @Override
    public String errorPrefix() {
        return "quilt zstor";
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** The loaded config; its errors already name the file and the key, so they are shown as they are. */
    ZstorConfig config() {
        if (config == null) {
            try {
                config = ZstorConfig.load(configFile);
            } catch (NoSuchFileException e) {
                throw CliException.input("--config: " + configFile + ": no such file");
            } catch (ConfigException e) {
                throw CliException.input(e.getMessage());
            } catch (IOException e) {
                throw CliException.input("--config: cannot read " + configFile + ": " + e.getMessage());
            }
        }
        return config;
    }

    /** Opens the store over the config's backends. */
    Zstor open() throws IOException {
        return opener.open(config());
    }

    /** Opens a store over {@code other} (a reloaded config). */
    Zstor open(ZstorConfig other) throws IOException {
        return opener.open(other);
    }

    Path configFile() {
        return configFile;
    }

    /**
     * The daemon answering on the config's socket, unless {@code --no-daemon}: {@code store}, {@code retrieve}
     * and {@code status} go through it (sharing its connection pools and backend health), else work directly.
     */
    Optional<DaemonClient> daemon() {
        return noDaemon ? Optional.empty() : config().host().socket().flatMap(DaemonClient::find);
    }

    /** A user's mistake about a key or a file is an input error (exit 3), not a missing server. */
    static CliException notFound(ObjectNotFoundException e) {
        return CliException.input(e.getMessage());
    }

    /** Checks that {@code file} is a readable regular file. */
    static void requireRegularFile(String flag, Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliException.input(flag + ": " + file + (Files.exists(file) ? " is not a regular file" : ": no such file"));
        }
    }
}
