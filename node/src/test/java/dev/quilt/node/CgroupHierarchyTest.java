package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hierarchy counts as a controller, on plain directories: the state of a writable
 * {@code /sys/fs/cgroup} tmpfs without the hierarchies mounted. (The real kernel files are in
 * {@code CgroupV2IT} and {@code ProcessSandboxIT}.)
 */
class CgroupHierarchyTest {
    static final Workload.Limits LIMITS = new Workload.Limits(500, 64L << 20, 32);

    @TempDir
    Path root;

    @Test
    void v1DirectoriesThatAreNotMountedHierarchiesAreMissingAndNothingIsMadeInThem() throws Exception {
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("cpu"));
        Files.createFile(Files.createDirectories(root.resolve("pids")).resolve("cgroup.procs"));
        CgroupHierarchy.V1 v1 = new CgroupHierarchy.V1(root, "quilt");
        assertThat(v1.missing()).isEqualTo(List.of("memory", "cpu"));
        assertThat(v1.describe()).isEqualTo("cgroup v1 at " + root + " (pids): no memory, cpu hierarchy, so process workloads are refused");
        assertThatThrownBy(() -> v1.create("w", LIMITS)).hasMessage("cannot enforce the memory, cpu limits: cgroup v1 at " + root
                + " has no memory, cpu controller (it has: pids); not run unconfined");
        assertThat(root.resolve("memory/quilt")).doesNotExist();
        assertThat(root.resolve("pids/quilt")).doesNotExist();
    }

    @Test
    void v2ControllersAreWhatTheRootOffers() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io pids\n");
        CgroupHierarchy.V2 v2 = new CgroupHierarchy.V2(root, "quilt");
        assertThat(v2.missing()).isEqualTo(List.of("memory"));
        assertThat(v2.describe()).isEqualTo("cgroup v2 at " + root + " (cpu, cpuset, io, pids): no memory controller, "
                + "so process workloads are refused");
        assertThatThrownBy(() -> v2.create("w", LIMITS)).hasMessage("cannot enforce the memory limit: cgroup v2 at " + root
                + " has no memory controller (it has: cpu, cpuset, io, pids); not run unconfined");
        assertThat(root.resolve("quilt")).doesNotExist();

        Files.writeString(root.resolve("cgroup.controllers"), "");
        assertThat(new CgroupHierarchy.V2(root, "quilt").describe()).startsWith("cgroup v2 at " + root + " (no controllers): no memory, cpu, pids controller");
    }
}
