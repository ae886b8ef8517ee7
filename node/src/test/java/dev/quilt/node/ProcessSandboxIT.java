package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quilt.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real sandboxed processes (bubblewrap, real cgroups): what a workload can see and write, its
 * memory limit, and restarts. Needs root and bwrap; skipped with the reason otherwise.
 */
class ProcessSandboxIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(1));

    @TempDir
    Path data;
    ProcessSupervisor supervisor;

    Sandbox sandbox;

    @BeforeEach
    void requireRoot() {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root for cgroups");
        sandbox = Sandbox.best(data);
    }

    /** The isolation checks run under both sandboxes: bubblewrap, and the unshare fallback. */
    void use(String kind) throws Exception {
        if (kind.equals("bwrap")) {
            assumeTrue(new ProcessBuilder("bwrap", "--version").start().waitFor() == 0, "needs bubblewrap (apt-get install bubblewrap)");
            sandbox = Sandbox.bubblewrap(data);
        } else {
            sandbox = Sandbox.unshare(data);
        }
    }

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    ProcessSupervisor run(String name, String script, long memory, Workload.RestartPolicy restart) throws Exception {
        Workload.Process w = new Workload.Process(name, 1, "/bin/sh", List.of("-c", script), Map.of("GREETING", "hi"),
                new Workload.Limits(500, memory, 64), restart, List.of());
        supervisor = ProcessSupervisor.start("test-" + name + "-" + ProcessHandle.current().pid(), w,
                data.resolve("workloads").resolve(name), List.of(), sandbox, CgroupHierarchy.detect("quilt-test"), FAST);
        return supervisor;
    }

    String finished(ProcessSupervisor s) throws Exception {
        Await.until(() -> s.result().message().startsWith("exited") || s.result().message().startsWith("killed"),
                TIMEOUT, () -> s.result().toString());
        return new String(s.logTail(1 << 16), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bwrap", "unshare"})
    void seesOnlyItsOwnProcesses(String kind) throws Exception {
        use(kind);
        String out = finished(run("ps", "ls /proc | grep '^[0-9]*$' | tr '\\n' ' '; echo; hostname; echo $GREETING", 64L << 20,
                Workload.RestartPolicy.NEVER));
        List<String> lines = out.lines().toList();
        long[] pids = Arrays.stream(lines.get(0).trim().split(" ")).mapToLong(Long::parseLong).toArray();
        // The sandbox's init, sh, ls, grep, tr: a handful of small numbers, none of them the host's. (The
        // unshare sandbox's setup script spends some fifty PIDs of its namespace on mount commands first.)
        assertThat(pids).hasSizeLessThanOrEqualTo(8);
        assertThat(Arrays.stream(pids).max().orElseThrow()).isLessThan(100);
        assertThat(pids).doesNotContain(ProcessHandle.current().pid());
        assertThat(lines.get(1)).isEqualTo("ps");
        assertThat(lines.get(2)).isEqualTo("hi");
        assertThat(supervisor.result().state()).isEqualTo(WorkloadResult.State.OK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bwrap", "unshare"})
    void writesOnlyInsideItsOwnDirectory(String kind) throws Exception {
        use(kind);
        Path neighbour = Files.createDirectories(data.resolve("workloads").resolve("neighbour").resolve("root"));
        Files.writeString(neighbour.resolve("secret"), "theirs");
        String script = "echo mine > /work/mine && echo wrote-own; "
                + "{ echo x > /etc/quilt-escape; } 2>/dev/null || echo etc-refused; "
                + "{ echo x > " + neighbour.resolve("secret") + "; } 2>/dev/null || echo neighbour-refused; "
                + "cat " + neighbour.resolve("secret") + " 2>/dev/null || echo neighbour-invisible; "
                + "ls " + data + " 2>/dev/null | wc -l";
        String out = finished(run("fs", script, 64L << 20, Workload.RestartPolicy.NEVER));
        assertThat(out.lines().toList()).containsExactly("wrote-own", "etc-refused", "neighbour-refused", "neighbour-invisible", "0");
        assertThat(data.resolve("workloads/fs/root/mine")).hasContent("mine");
        assertThat(Path.of("/etc/quilt-escape")).doesNotExist();
        assertThat(neighbour.resolve("secret")).hasContent("theirs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bwrap", "unshare"})
    void hasNoCapabilitiesAReadOnlyRootAndCannotMount(String kind) throws Exception {
        use(kind);
        // It runs as uid 0 without capabilities; files that check only the uid (global sysctls, the
        // SysRq trigger where the kernel has one) must be out of reach. The probes open for writing and
        // write nothing ("true >"), so they change nothing when they succeed.
        String script = "grep -E '^Cap(Eff|Prm):' /proc/self/status | tr -s '\\t ' ' '; "
                + "touch /escape 2>/dev/null || echo root-read-only; "
                + "mount -t tmpfs x /tmp 2>/dev/null || echo mount-refused; "
                + "if (true > /proc/sys/vm/swappiness) 2>/dev/null; then echo sysctl-writable; else echo sysctl-refused; fi; "
                + "if [ -e /proc/sysrq-trigger ] && (true > /proc/sysrq-trigger) 2>/dev/null; then echo sysrq-writable; "
                + "else echo sysrq-out-of-reach; fi";
        String out = finished(run("caps", script, 64L << 20, Workload.RestartPolicy.NEVER));
        assertThat(out.lines().toList()).containsExactly("CapPrm: 0000000000000000", "CapEff: 0000000000000000",
                "root-read-only", "mount-refused", "sysctl-refused", "sysrq-out-of-reach");
    }

    @Test
    void exceedingItsMemoryLimitKillsTheWorkloadNotTheNode() throws Exception {
        // tail keeps the whole (newline-free) input in memory: far more than the 32 MiB limit.
        run("hog", "echo starting; head -c 512m /dev/zero | tail -n 1 >/dev/null || exit 1; echo survived", 32L << 20,
                Workload.RestartPolicy.NEVER);
        String out = finished(supervisor);
        assertThat(supervisor.result().state()).isEqualTo(WorkloadResult.State.ERROR);
        assertThat(supervisor.result().message()).isEqualTo("killed: out of memory (limit " + (32L << 20) + " bytes)");
        assertThat(out).contains("starting").doesNotContain("survived");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void restartsAFailingWorkloadWithBackOff() throws Exception {
        run("flaky", "echo attempt; exit 3", 16L << 20, Workload.RestartPolicy.ON_FAILURE);
        Await.until(() -> supervisor.starts() >= 3 && supervisor.result().message().startsWith("exited with status 3; restarting in"),
                TIMEOUT, () -> supervisor.result().toString());
        supervisor.close();
        assertThat(supervisor.result().state()).isEqualTo(WorkloadResult.State.DELETED);
    }

    @Test
    void pausedByTheFreezerItContinuesWhereItStoodWhenResumed() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/freezer")), "needs the cgroup v1 freezer");
        run("counter", "i=0; while true; do i=$((i+1)); echo $i > /work/count; sleep 0.05; done", 16L << 20,
                Workload.RestartPolicy.ALWAYS);
        Path count = data.resolve("workloads/counter/root/count");
        Await.until(() -> number(count) >= 3, TIMEOUT, () -> supervisor.result().toString());
        supervisor.pause();
        Path state = Path.of("/sys/fs/cgroup/freezer/quilt-test/test-counter-" + ProcessHandle.current().pid(), "freezer.state");
        Await.until(() -> read(state).equals("FROZEN"), TIMEOUT, () -> read(state));
        assertThat(supervisor.result().state()).isEqualTo(WorkloadResult.State.PAUSED);
        long frozenAt = number(count);
        supervisor.resume();
        // The same process counts on from where it stood: not restarted (its count would begin at 1 again).
        Await.until(() -> number(count) > frozenAt + 2, TIMEOUT, () -> read(count) + " " + supervisor.result());
        assertThat(supervisor.starts()).isEqualTo(1);
        assertThat(supervisor.result().state()).isEqualTo(WorkloadResult.State.OK);
        // A frozen workload can still be stopped.
        supervisor.pause();
        supervisor.close();
        assertThat(supervisor.result().state()).isEqualTo(WorkloadResult.State.DELETED);
        assertThat(state.getParent()).doesNotExist();
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static long number(Path file) {
        String s = read(file);
        return s.matches("\\d+") ? Long.parseLong(s) : 0;
    }
}
