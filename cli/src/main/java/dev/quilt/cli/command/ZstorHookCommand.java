package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.zstor.daemon.HookClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quilt zstor hook <event> <instance-id> [args...]}: what zdb's {@code --hook} script runs. */
@Command(name = "hook", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, usageHelpWidth = 100,
        description = {"Forward a zdb hook event to the running daemon and exit with its answer.",
                "zdb runs its --hook program as `<program> <event> <instance-id> [args...]`, and a two-line",
                "script hands that to this command through the config's socket (zstor/examples/zdb-hook.sh).",
                "jump-data queues the closed data file and returns at once; missing-data returns 0 only once the",
                "file is back in place; ready returns 0 when the daemon answers; other events return 0 at once."})
final class ZstorHookCommand extends ZstorSubcommand {
    @Parameters(index = "0", paramLabel = "EVENT", description = "The zdb event (jump-data, missing-data, ready...).")
    private String event;

    @Parameters(index = "1", paramLabel = "INSTANCE-ID", description = "The zdb instance (tcp://host:port or unix://path).")
    private String instanceId;

    @Parameters(index = "2..*", paramLabel = "ARG", description = "The event's arguments (file paths...).")
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Path socket = zstor.config().host().socket().orElseThrow(() -> CliException.input(
                "the config has no socket: set socket = \"/run/zstor.sock\" (the daemon listens there)"));
        HookClient.Result result = HookClient.forward(socket, event, instanceId, args);
        if (result.exitCode() != 0) {
            err().println(zstor.errorPrefix() + ": hook " + event + ": " + result.message());
            err().flush();
        }
        return result.exitCode();
    }
}
