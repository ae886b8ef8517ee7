package dev.quilt.cli.command;

import dev.quilt.cli.ExitCodes;
import dev.quilt.zstor.CheckReport;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.RebuildReport;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quilt zstor rebuild [--key NAME]}. */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Rewrite the missing and corrupt shards of objects.",
                "Each goes onto its own backend when it is healthy and onto another one otherwise, then new",
                "metadata is written. A healthy object is left as is.",
                "Exit status: 0 when every object is healthy afterwards, 1 otherwise."})
final class ZstorRebuildCommand extends ZstorSubcommand {
    @Option(names = {"-k", "--key"}, paramLabel = "NAME", description = "Rebuild this object only (default: every object).")
    private String key;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        int unhealthy = 0;
        try (Zstor store = zstor.open()) {
            List<String> keys = key != null ? List.of(key) : store.list().stream().map(ObjectInfo::key).toList();
            for (String k : keys) {
                RebuildReport report = store.rebuild(k);
                if (report.after() != CheckReport.Health.HEALTHY) {
                    unhealthy++;
                }
                out.println(report.rewrittenShards().isEmpty()
                        ? report.after() + " " + k + ": nothing rewritten"
                        : report.after() + " " + k + ": rewrote shards " + report.rewrittenShards() + " onto " + report.movedTo());
            }
        } catch (ObjectNotFoundException e) {
            throw ZstorCommand.notFound(e);
        }
        return unhealthy == 0 ? ExitCodes.OK : ExitCodes.UNHEALTHY;
    }
}
