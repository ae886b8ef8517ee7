package dev.quilt.cli.command;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.daemon.DaemonClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;

/** {@code quilt zstor status}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, usageHelpWidth = 100,
        description = {"Show every metadata and data backend in a table.",
                "Columns: role, reachable, bytes used and free (binary units: 1 MiB = 1048576 bytes; free is",
                "the lower of what the namespace's size limit leaves and the backend's free disk space) and",
                "entries (keys held: shards or metadata records).",
                "When a daemon answers on the config's socket, the table is its view (its connections)."})
final class ZstorStatusCommand extends ZstorSubcommand {
    @Override
    public Integer call() throws IOException {
        List<BackendStatus> backends;
        Optional<DaemonClient> daemon = zstor.daemon();
        if (daemon.isPresent()) {
            backends = daemon.get().status();
        } else {
            try (Zstor store = zstor.open()) {
                backends = store.status();
            }
        }
        out().print(table(backends));
        // picocli's writer flushes only on println; the JVM exits right after this.
        out().flush();
        return 0;
    }

    static String table(List<BackendStatus> backends) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BACKEND", "ROLE", "REACHABLE", "USED", "FREE", "ENTRIES"});
        for (BackendStatus b : backends) {
            rows.add(new String[] {b.id(), b.role().name().toLowerCase(Locale.ROOT), b.reachable() ? "yes" : "no",
                    size(b.usedBytes()), size(b.freeBytes()),
                    b.entries().isPresent() ? Long.toString(b.entries().getAsLong()) : "-"});
        }
        // Numbers line up on the right, words on the left.
        StringBuilder text = new StringBuilder(TextTable.format(rows, 3));
        for (BackendStatus b : backends) {
            b.error().ifPresent(e -> text.append(b.id()).append(": ").append(e).append('\n'));
        }
        return text.toString();
    }

    /** Bytes in binary units, with the unit: {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}; {@code -} when unknown. */
    static String size(OptionalLong bytes) {
        if (bytes.isEmpty()) {
            return "-";
        }
        long b = bytes.getAsLong();
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = b;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
