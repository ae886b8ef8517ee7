package dev.quilt.cli.command;

import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code quilt zstor ls}. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, usageHelpWidth = 100,
        description = "List every stored object in key order: size in bytes, k+m shards, generation and key.")
final class ZstorLsCommand extends ZstorSubcommand {
    @Override
    public Integer call() throws IOException {
        List<ObjectInfo> objects;
        try (Zstor store = zstor.open()) {
            objects = store.list();
        }
        PrintWriter out = out();
        int sizeWidth = Math.max("SIZE".length(), objects.stream().mapToInt(o -> Long.toString(o.size()).length()).max().orElse(0));
        out.printf("%" + sizeWidth + "s  %-7s  %-10s  %s%n", "SIZE", "SHARDS", "GENERATION", "KEY");
        for (ObjectInfo o : objects) {
            out.printf("%" + sizeWidth + "d  %-7s  %-10d  %s%n", o.size(), o.dataShards() + "+" + o.parityShards(),
                    o.generation(), o.key());
        }
        return 0;
    }
}
