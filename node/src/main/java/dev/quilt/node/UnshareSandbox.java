package dev.quilt.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fallback {@link Sandbox} for machines without bubblewrap: util-linux's {@code unshare} and
 * {@code setpriv} (present on every Debian-like system) and a short {@code /bin/sh} script doing
 * what bwrap does, in the same order, so that a workload sees the same world under either.
 *
 * <p>The cgroup prologue is {@link BwrapSandbox}'s. Then {@code setpriv --pdeathsig KILL} makes
 * the sandbox die with the agent, and {@code unshare --mount --pid --ipc --uts --fork --kill-child
 * --propagation private} gives it its namespaces; inside, as the new PID namespace's first
 * process, the script mounts a tmpfs on an empty staging directory as the new root; binds the
 * host's system directories ({@link BwrapSandbox#SYSTEM_DIRS}) read-only; covers the node's data
 * directory with a tmpfs if it lies inside one of them; binds the private directory at
 * {@link Sandbox#WORKDIR} and the volumes at their paths; mounts a new {@code /proc} (with
 * {@link BwrapSandbox#PROC_READ_ONLY} read-only and {@code sysrq-trigger} covered), a minimal
 * {@code /dev} and a private {@code /tmp}; sets the host name; {@code pivot_root}s into it, drops
 * the old root and remounts the new one read-only; and finally execs the command through
 * {@code setpriv} with every capability gone from the bounding, inheritable and ambient sets and
 * {@code no_new_privs}, in a clean environment. The staging directory is
 * {@code <private dir>/../sandbox}; the host sees it empty, as all mounts live in the sandbox's
 * own mount namespace.
 *
 * <p>What bwrap does and this does not: a new session (bwrap's guard against TIOCSTI; stdin is
 * {@code /dev/null} here anyway). Thread-safe (stateless).
 */
final class UnshareSandbox implements Sandbox {
    /** $1 staging, $2 private dir, $3 hidden root, $4 host name, $5 binds count, pairs, env count, K=V..., command, args. */
    private static final String SETUP = String.join("\n",
            "set -e",
            "R=$1; PRIV=$2; HIDDEN=$3; NAME=$4; shift 4",
            "mount -t tmpfs -o mode=0755 quilt-root \"$R\"",
            "for d in " + String.join(" ", BwrapSandbox.SYSTEM_DIRS) + "; do",
            "  if [ -d \"$d\" ]; then mkdir -p \"$R$d\"; mount --bind \"$d\" \"$R$d\"; mount -o remount,bind,ro \"$R$d\"; fi",
            "done",
            "if [ -d \"$R$HIDDEN\" ]; then mount -t tmpfs -o mode=0755 quilt-hidden \"$R$HIDDEN\"; fi",
            "mkdir -p \"$R" + WORKDIR + "\"; mount --bind \"$PRIV\" \"$R" + WORKDIR + "\"",
            "n=$1; shift",
            "while [ \"$n\" -gt 0 ]; do mkdir -p \"$R$2\"; mount --bind \"$1\" \"$R$2\"; shift 2; n=$((n-1)); done",
            "mkdir -p \"$R/proc\" \"$R/dev\" \"$R/tmp\"",
            "mount -t proc -o nosuid,nodev,noexec proc \"$R/proc\"",
            "for p in " + String.join(" ", BwrapSandbox.PROC_READ_ONLY) + "; do",
            "  if [ -e \"$R$p\" ]; then mount --bind \"$R$p\" \"$R$p\"; mount -o remount,bind,ro \"$R$p\"; fi",
            "done",
            "S=\"$R/proc/sysrq-trigger\"; if [ -e \"$S\" ]; then mount --bind /dev/null \"$S\"; mount -o remount,bind,ro \"$S\"; fi",
            "mount -t tmpfs -o mode=0755,nosuid quilt-dev \"$R/dev\"",
            "for f in null zero full random urandom tty; do touch \"$R/dev/$f\"; mount --bind \"/dev/$f\" \"$R/dev/$f\"; done",
            "ln -s /proc/self/fd \"$R/dev/fd\"; ln -s /proc/self/fd/0 \"$R/dev/stdin\"",
            "ln -s /proc/self/fd/1 \"$R/dev/stdout\"; ln -s /proc/self/fd/2 \"$R/dev/stderr\"",
            "mount -t tmpfs -o mode=1777,nosuid,nodev quilt-tmp \"$R/tmp\"",
            "echo \"$NAME\" > /proc/sys/kernel/hostname",
            "mkdir \"$R/.old-root\"; cd \"$R\"; pivot_root . .old-root; cd /",
            "umount -l /.old-root; rmdir /.old-root",
            "mount -o remount,bind,ro /",
            "cd " + WORKDIR,
            "exec /usr/bin/setpriv --bounding-set=-all --inh-caps=-all --ambient-caps=-all --no-new-privs -- /usr/bin/env -i \"$@\"");

    private final Path hiddenRoot;

    UnshareSandbox(Path hiddenRoot) {
        this.hiddenRoot = hiddenRoot.toAbsolutePath();
    }

    @Override
    public Process start(Spec spec) throws IOException {
        Path staging = Files.createDirectories(spec.privateDir().toAbsolutePath().getParent().resolve("sandbox"));
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", BwrapSandbox.PROLOGUE, "sh"));
        List<Path> procs = spec.cgroup().procsFiles();
        cmd.add(Integer.toString(procs.size()));
        procs.forEach(p -> cmd.add(p.toString()));
        cmd.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/usr/bin/unshare", "--mount", "--pid", "--ipc",
                "--uts", "--fork", "--kill-child", "--propagation", "private", "--", "/bin/sh", "-c", SETUP, "sh",
                staging.toString(), spec.privateDir().toAbsolutePath().toString(), hiddenRoot.toString(), spec.name()));
        cmd.add(Integer.toString(spec.binds().size()));
        for (Bind b : spec.binds()) {
            cmd.add(b.host().toAbsolutePath().toString());
            cmd.add(b.inside());
        }
        cmd.add("PATH=" + BwrapSandbox.PATH);
        cmd.add("HOME=" + WORKDIR);
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add(spec.command());
        cmd.addAll(spec.args());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }
}
