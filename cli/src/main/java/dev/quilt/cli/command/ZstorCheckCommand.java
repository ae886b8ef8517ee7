package dev.quilt.cli.command;

import dev.quilt.cli.ExitCodes;
import dev.quilt.zstor.CheckReport;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quilt zstor check [--key NAME]}. */
@Command(name = "check", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Scrub objects: read every shard and verify it against the metadata's checksum.",
                "Prints one line per object (HEALTHY, DEGRADED: a rebuild repairs it, LOST: a stripe has fewer",
                "than k good shards) with each bad shard, then a summary.",
                "Exit status: 0 when every object checked is healthy, 1 otherwise."})
final class ZstorCheckCommand extends ZstorSubcommand {
    @Option(names = {"-k", "--key"}, paramLabel = "NAME", description = "Check this object only (default: every object).")
    private String key;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        Map<CheckReport.Health, Integer> counts = new EnumMap<>(CheckReport.Health.class);
        try (Zstor store = zstor.open()) {
            List<ObjectInfo> objects = key != null ? List.of(store.stat(key)) : store.list();
            long total = objects.stream().mapToLong(ObjectInfo::size).sum();
            try (Progress progress = Progress.on(err(), "check", total)) {
                for (ObjectInfo info : objects) {
                    CheckReport report = store.check(info.key());
                    counts.merge(report.health(), 1, Integer::sum);
                    out.println(describe(report));
                    progress.itemDone(info.size());
                }
            }
        } catch (ObjectNotFoundException e) {
            throw ZstorCommand.notFound(e);
        }
        int healthy = counts.getOrDefault(CheckReport.Health.HEALTHY, 0);
        int degraded = counts.getOrDefault(CheckReport.Health.DEGRADED, 0);
        int lost = counts.getOrDefault(CheckReport.Health.LOST, 0);
        out.printf("checked %d object%s: %d healthy, %d degraded, %d lost%n", healthy + degraded + lost,
                healthy + degraded + lost == 1 ? "" : "s", healthy, degraded, lost);
        return degraded + lost == 0 ? ExitCodes.OK : ExitCodes.UNHEALTHY;
    }

    /** {@code HEALTHY key}, or {@code DEGRADED key: shard 2 on host:port/ns MISSING in 3 stripes; ...}. */
    static String describe(CheckReport report) {
        StringBuilder line = new StringBuilder(report.health().name()).append(' ').append(report.key());
        String separator = ": ";
        for (CheckReport.ShardProblem p : report.problems()) {
            line.append(separator).append("shard ").append(p.shardIndex()).append(" on ").append(p.backend()).append(' ')
                    .append(p.kind()).append(" in ").append(p.badStripes()).append(p.badStripes() == 1 ? " stripe" : " stripes");
            separator = "; ";
        }
        return line.toString();
    }
}
