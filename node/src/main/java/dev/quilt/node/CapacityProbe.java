package dev.quilt.node;

import dev.quilt.chain.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what a machine can offer: logical CPUs, physical memory, and the total size of the
 * file systems holding the offered directories (counted once per file system), reported as SSD.
 * Telling SSD from HDD needs the block device behind each file system; not done yet.
 */
public final class CapacityProbe {
    private CapacityProbe() {}

    public static Resources measure(List<Path> offered) throws IOException {
        long cru = Runtime.getRuntime().availableProcessors();
        long mru = memoryBytes(Files.readString(Path.of("/proc/meminfo")));
        long sru = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Path dir : offered) {
            var store = Files.getFileStore(Files.createDirectories(dir));
            if (seen.add(store.name() + "|" + store.toString())) {
                sru += store.getTotalSpace();
            }
        }
        return new Resources(cru, mru, sru, 0);
    }

    /**
     * What to offer: the measured capacity, each part capped by the farmer's limit where one is
     * given. Never more than measured, so that several nodes can split one machine but none can
     * claim what it does not have.
     */
    public static Resources cap(Resources measured, OptionalLong cpus, OptionalLong memoryBytes, OptionalLong diskBytes) {
        for (OptionalLong limit : List.of(cpus, memoryBytes, diskBytes)) {
            if (limit.isPresent() && limit.getAsLong() < 1) {
                throw new IllegalArgumentException("capacity limit " + limit.getAsLong() + " (expected: >= 1)");
            }
        }
        return new Resources(Math.min(measured.cru(), cpus.orElse(Long.MAX_VALUE)),
                Math.min(measured.mru(), memoryBytes.orElse(Long.MAX_VALUE)),
                Math.min(measured.sru(), diskBytes.orElse(Long.MAX_VALUE)), measured.hru());
    }

    /** MemTotal from {@code /proc/meminfo}, in bytes. */
    static long memoryBytes(String meminfo) throws IOException {
        Matcher m = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB$").matcher(meminfo);
        if (!m.find()) {
            throw new IOException("/proc/meminfo has no MemTotal line");
        }
        return Long.parseLong(m.group(1)) * 1024;
    }
}
