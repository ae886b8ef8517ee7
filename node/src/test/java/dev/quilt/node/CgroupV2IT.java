package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quilt.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cgroup v2 on a real unified hierarchy: the one a v1 host mounts at {@code /sys/fs/cgroup/unified}
 * (or any cgroup2 mount given in {@code quilt.cgroup2}), which has the v2 core files in every group
 * whatever controllers it has. A real process joins a group, is frozen and thawed there, and is
 * killed with the group; where the tree lacks a controller a process workload needs, the workload
 * is refused with the reason and never started.
 */
class CgroupV2IT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Path UNIFIED = Path.of(System.getProperty("quilt.cgroup2", "/sys/fs/cgroup/unified"));
    static final String PARENT = "quilt-v2-test";

    @TempDir
    Path dir;
    CgroupHierarchy.V2 hierarchy;
    Process child;

    @BeforeEach
    void requireAWritableCgroup2Mount() throws IOException {
        boolean cgroup2 = Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" "))
                .anyMatch(f -> f[1].equals(UNIFIED.toString()) && f[2].equals("cgroup2"));
        assumeTrue(cgroup2, UNIFIED + " is not a cgroup2 mount");
        assumeTrue(Files.isWritable(UNIFIED.resolve("cgroup.procs")), UNIFIED + " is not writable (needs root)");
        hierarchy = new CgroupHierarchy.V2(UNIFIED, PARENT);
    }

    @AfterEach
    void stop() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        if (hierarchy != null) {
            Files.deleteIfExists(UNIFIED.resolve(PARENT));
        }
    }

    @Test
    void aProcessJoinsAGroupIsFrozenThawedAndKilledWithIt() throws Exception {
        Cgroup.V2 group = hierarchy.group("core-" + ProcessHandle.current().pid());
        Path counter = dir.resolve("counter");
        child = new ProcessBuilder("/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo $i >> " + counter + "; sleep 0.05; done")
                .start();
        Files.writeString(group.procsFiles().getFirst(), Long.toString(child.pid()));
        assertThat(Files.readAllLines(group.dir().resolve("cgroup.procs"))).contains(Long.toString(child.pid()));
        Await.until(() -> count(counter) > 3, TIMEOUT, () -> "counter at " + count(counter));

        group.freeze(true);
        Await.until(() -> events(group).contains("frozen 1"), TIMEOUT, () -> events(group));
        long frozenAt = count(counter);
        // A frozen process makes no progress, however long it is left: twenty of its periods here.
        Thread.sleep(1000);
        assertThat(count(counter)).isEqualTo(frozenAt);
        assertThat(child.isAlive()).isTrue();

        group.freeze(false);
        Await.until(() -> events(group).contains("frozen 0"), TIMEOUT, () -> events(group));
        Await.until(() -> count(counter) > frozenAt + 3, TIMEOUT, () -> "counter at " + count(counter) + ", thawed at " + frozenAt);

        // Frozen again, then destroyed: cgroup.kill (thawed first) ends everything in it and the group goes.
        group.freeze(true);
        Await.until(() -> events(group).contains("frozen 1"), TIMEOUT, () -> events(group));
        group.destroy();
        Await.until(() -> !child.isAlive(), TIMEOUT, () -> "pid " + child.pid() + " still alive");
        assertThat(child.exitValue()).isEqualTo(128 + 9);
        assertThat(group.dir()).doesNotExist();
    }

    @Test
    void aProcessWorkloadIsRefusedWhereTheTreeLacksAControllerItsLimitsNeed() throws Exception {
        List<String> missing = hierarchy.missing();
        assumeTrue(!missing.isEmpty(), UNIFIED + " has every controller a workload needs: nothing to refuse");
        assertThat(hierarchy.describe()).startsWith("cgroup v2 at " + UNIFIED + " (")
                .endsWith(": no " + String.join(", ", missing) + " controller, so process workloads are refused");

        Path marker = dir.resolve("ran");
        Workload.Process w = new Workload.Process("limited", 1, "/bin/sh", List.of("-c", "touch " + marker + "; sleep 600"),
                Map.of(), new Workload.Limits(500, 64L << 20, 32), Workload.RestartPolicy.ALWAYS, List.of());
        assertThatThrownBy(() -> ProcessSupervisor.start("refused-" + ProcessHandle.current().pid(), w, dir.resolve("w"),
                List.of(), Sandbox.unshare(dir), hierarchy, Backoff.DEFAULT))
                .hasMessageStartingWith("cannot enforce the " + String.join(", ", missing) + " limit")
                .hasMessageContaining("cgroup v2 at " + UNIFIED + " has no " + String.join(", ", missing) + " controller")
                .hasMessageEndingWith("; not run unconfined");
        // Nothing was made or started: no group, no private directory, no process.
        assertThat(UNIFIED.resolve(PARENT).resolve("refused-" + ProcessHandle.current().pid())).doesNotExist();
        assertThat(dir.resolve("w")).doesNotExist();
        assertThat(marker).doesNotExist();
    }

    static long count(Path counter) {
        try {
            // Complete lines only: one being written when the group froze is not counted either way.
            return Files.exists(counter) ? Files.readString(counter).chars().filter(c -> c == '\n').count() : 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String events(Cgroup.V2 group) {
        try {
            return Files.readString(group.dir().resolve("cgroup.events"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
