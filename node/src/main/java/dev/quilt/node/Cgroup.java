package dev.quilt.node;

import dev.quilt.node.Workload.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One workload's control group, on cgroup v1 (one directory per controller: memory, cpu, pids) or
 * v2 (one directory in the unified tree), made by the {@link CgroupHierarchy} the host has.
 *
 * <p>Memory: {@code memory.limit_in_bytes} and, where swap accounting exists, the same value for
 * memory plus swap (v1), or {@code memory.max} and {@code memory.swap.max = 0} (v2). Without the
 * swap limit a workload would page out instead of being killed at its limit. When the limit is hit
 * the kernel's OOM killer picks a victim inside this group only: the workload dies, the node lives.
 * CPU: a CFS quota of {@code cpuMillis / 1000} CPUs per 100 ms period. PIDs: {@code pids.max}.
 *
 * <p>Not thread-safe; one owner (the workload's supervisor).
 */
sealed interface Cgroup {
    Path ROOT = Path.of("/sys/fs/cgroup");
    long PERIOD_MICROS = 100_000;

    /** The {@code cgroup.procs} files a process writes its pid to, to join this group. */
    List<Path> procsFiles();

    /** OOM kills inside this group so far. */
    long oomKills();

    /**
     * Freezes every process of the group where they stand (no CPU, memory kept), or thaws them.
     * Throws when this host has no freezer.
     */
    void freeze(boolean frozen) throws IOException;

    /** Kills what is left in the group (thawed first: a frozen task cannot die) and removes its directories. */
    void destroy();

    /** {@code dirs}: memory first, then cpu, pids and, where the host mounts it, freezer. */
    record V1(List<Path> dirs) implements Cgroup {
        /** Creates {@code <parent>/<name>} in each controller's hierarchy; the caller checked they are mounted. */
        static V1 create(CgroupHierarchy.V1 h, String name, Limits limits, boolean freezer) throws IOException {
            Path memory = Files.createDirectories(h.root().resolve("memory").resolve(h.parent()).resolve(name));
            Path cpu = Files.createDirectories(h.root().resolve("cpu").resolve(h.parent()).resolve(name));
            Path pids = Files.createDirectories(h.root().resolve("pids").resolve(h.parent()).resolve(name));
            List<Path> dirs = new ArrayList<>(List.of(memory, cpu, pids));
            if (freezer) {
                dirs.add(Files.createDirectories(h.root().resolve("freezer").resolve(h.parent()).resolve(name)));
            }
            write(memory.resolve("memory.limit_in_bytes"), limits.memoryBytes());
            if (Files.exists(memory.resolve("memory.memsw.limit_in_bytes"))) {
                write(memory.resolve("memory.memsw.limit_in_bytes"), limits.memoryBytes());
            }
            write(cpu.resolve("cpu.cfs_period_us"), PERIOD_MICROS);
            write(cpu.resolve("cpu.cfs_quota_us"), Math.max(1000, limits.cpuMillis() * PERIOD_MICROS / 1000));
            write(pids.resolve("pids.max"), limits.pids());
            return new V1(List.copyOf(dirs));
        }

        @Override
        public void freeze(boolean frozen) throws IOException {
            Path freezer = dirs.stream().filter(d -> Files.exists(d.resolve("freezer.state"))).findFirst()
                    .orElseThrow(() -> new IOException("no freezer cgroup on this host"));
            Files.writeString(freezer.resolve("freezer.state"), frozen ? "FROZEN" : "THAWED");
        }

        @Override
        public List<Path> procsFiles() {
            return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        @Override
        public long oomKills() {
            // "oom_kill N" is in memory.oom_control since Linux 4.13; failcnt counts limit hits, not kills.
            return counter(dirs.getFirst().resolve("memory.oom_control"), "oom_kill");
        }

        @Override
        public void destroy() {
            thaw(this);
            for (Path d : dirs) {
                killAll(d.resolve("cgroup.procs"));
            }
            for (Path d : dirs) {
                removeWhenEmpty(d);
            }
        }
    }

    record V2(Path dir) implements Cgroup {
        /** Sets the limits; the group was made with the memory, cpu and pids controllers enabled. */
        void limit(Limits limits) throws IOException {
            write(dir.resolve("memory.max"), limits.memoryBytes());
            if (Files.exists(dir.resolve("memory.swap.max"))) {
                write(dir.resolve("memory.swap.max"), 0);
            }
            Files.writeString(dir.resolve("cpu.max"), Math.max(1000, limits.cpuMillis() * PERIOD_MICROS / 1000) + " " + PERIOD_MICROS);
            write(dir.resolve("pids.max"), limits.pids());
        }

        @Override
        public List<Path> procsFiles() {
            return List.of(dir.resolve("cgroup.procs"));
        }

        @Override
        public long oomKills() {
            return counter(dir.resolve("memory.events"), "oom_kill");
        }

        @Override
        public void freeze(boolean frozen) throws IOException {
            Files.writeString(dir.resolve("cgroup.freeze"), frozen ? "1" : "0");
        }

        @Override
        public void destroy() {
            thaw(this);
            try {
                Files.writeString(dir.resolve("cgroup.kill"), "1");
            } catch (IOException e) {
                killAll(dir.resolve("cgroup.procs")); // kernels before 5.14 have no cgroup.kill
            }
            removeWhenEmpty(dir);
        }
    }

    private static void thaw(Cgroup group) {
        try {
            group.freeze(false);
        } catch (IOException e) {
            // No freezer, or the group is gone: nothing is frozen.
        }
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value));
    }

    private static long counter(Path file, String name) {
        try {
            Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(Files.readString(file));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void killAll(Path procs) {
        try {
            for (String pid : Files.readAllLines(procs)) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // Already gone.
        }
    }

    /** rmdir once the last process has left; processes take a moment to exit after SIGKILL. */
    private static void removeWhenEmpty(Path dir) {
        for (int i = 0; i < 100 && Files.exists(dir); i++) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException busy) {
                killAll(dir.resolve("cgroup.procs"));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** For messages: the limits as the group enforces them. */
    static String describe(Limits l) {
        List<String> parts = new ArrayList<>();
        parts.add("memory " + l.memoryBytes());
        parts.add("cpu " + l.cpuMillis() + "m");
        parts.add("pids " + l.pids());
        return String.join(", ", parts);
    }
}
