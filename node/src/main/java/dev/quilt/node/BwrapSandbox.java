package dev.quilt.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Sandbox} on bubblewrap ({@code bwrap}), which sets up the namespaces and mounts in one
 * audited setuid-free binary instead of a hand-written sequence of unshare and mount calls.
 *
 * <p>The process joins its cgroup before bwrap starts: a tiny {@code /bin/sh} prologue writes its own
 * pid to each {@code cgroup.procs} and then execs bwrap, so every descendant is born inside the
 * limits and nothing runs outside them even for a moment. If it cannot join, it exits 97 before
 * running anything.
 *
 * <p>Mounts, in order: an empty tmpfs as the root; the host's system directories ({@link #SYSTEM_DIRS})
 * read-only; a fresh tmpfs over {@code hiddenRoot} (the node's data directory: other workloads'
 * files, the deployment store, the zdb data), in case it lies inside one of them; the private
 * directory at {@link Sandbox#WORKDIR}; each volume at its path (created on the tmpfs root, so
 * any absolute path works); a new {@code /proc} (only the sandbox's PIDs; its sysctls and
 * {@code sysrq-trigger} read-only, see {@link #PROC_READ_ONLY}), a minimal {@code /dev}
 * and a private {@code /tmp}; then the root is made read-only. Home directories, {@code /root},
 * {@code /var} and {@code /srv} of the host are not there at all. All capabilities are dropped,
 * so the process cannot remount any of it. The network namespace is shared (ports are not
 * isolated yet).
 *
 * <p>Thread-safe (stateless).
 */
final class BwrapSandbox implements Sandbox {
    static final int CANNOT_JOIN_CGROUP = 97;
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String PROLOGUE =
            "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit " + CANNOT_JOIN_CGROUP
                    + "; shift; n=$((n-1)); done; exec \"$@\"";

    /** The host directories a program needs to run, bound read-only; nothing else of the host is visible. */
    static final List<String> SYSTEM_DIRS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt");

    /**
     * Parts of {@code /proc} that a uid-0 process could write without any capability (global
     * sysctls, IRQ affinity, bus settings): read-only in the sandbox; {@code /proc/sysrq-trigger}
     * is covered by {@code /dev/null}. The same set as container runtimes mask.
     */
    static final List<String> PROC_READ_ONLY = List.of("/proc/sys", "/proc/irq", "/proc/bus");
    static final Path SYSRQ = Path.of("/proc/sysrq-trigger");

    private final Path hiddenRoot;

    BwrapSandbox(Path hiddenRoot) {
        this.hiddenRoot = hiddenRoot.toAbsolutePath();
    }

    @Override
    public Process start(Spec spec) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", PROLOGUE, "sh"));
        List<Path> procs = spec.cgroup().procsFiles();
        cmd.add(Integer.toString(procs.size()));
        procs.forEach(p -> cmd.add(p.toString()));
        cmd.addAll(List.of("bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--hostname", spec.name(), "--cap-drop", "ALL", "--tmpfs", "/"));
        for (String system : SYSTEM_DIRS) {
            cmd.addAll(List.of("--ro-bind-try", system, system));
        }
        cmd.addAll(List.of("--tmpfs", hiddenRoot.toString(),
                "--bind", spec.privateDir().toAbsolutePath().toString(), WORKDIR));
        for (Bind b : spec.binds()) {
            cmd.addAll(List.of("--bind", b.host().toAbsolutePath().toString(), b.inside()));
        }
        cmd.add("--proc");
        cmd.add("/proc");
        // The workload is uid 0 without capabilities: files that check only the uid must be read-only.
        for (String p : PROC_READ_ONLY) {
            cmd.addAll(List.of("--ro-bind-try", p, p));
        }
        if (Files.exists(SYSRQ)) {
            cmd.addAll(List.of("--ro-bind", "/dev/null", SYSRQ.toString()));
        }
        cmd.addAll(List.of("--dev", "/dev", "--tmpfs", "/tmp", "--remount-ro", "/", "--chdir", WORKDIR, "--clearenv",
                "--setenv", "PATH", PATH,
                "--setenv", "HOME", WORKDIR));
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            cmd.addAll(List.of("--setenv", e.getKey(), e.getValue()));
        }
        cmd.add("--");
        cmd.add(spec.command());
        cmd.addAll(spec.args());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }
}
