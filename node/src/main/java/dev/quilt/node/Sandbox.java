package dev.quilt.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * The mechanism that runs one process isolated from the host and from other workloads. What
 * should run, and when, is the reconciler's business; a sandbox only starts and contains.
 *
 * <p>Implementations guarantee, for the process and all its descendants: its own mount, PID, IPC
 * and UTS namespaces (it sees only its own processes); the host's file system read-only and the
 * node's data directory hidden, except for its private directory (read-write, its working
 * directory) and the volumes bound into it; no capabilities; and the cgroup limits of its workload.
 */
interface Sandbox {

    /** What to run. {@code binds}: host directory → absolute path inside, read-write. */
    record Spec(String name, String command, List<String> args, SortedMap<String, String> env, Path privateDir,
                List<Bind> binds, Cgroup cgroup) {
        public Spec {
            args = List.copyOf(args);
            binds = List.copyOf(binds);
        }
    }

    /** A host directory bound read-write at {@code inside}. */
    record Bind(Path host, String inside) {}

    /** Starts the process; its stdout and stderr are merged and readable from the returned process. */
    Process start(Spec spec) throws IOException;

    /** The path inside the sandbox where the private directory appears. */
    String WORKDIR = "/work";

    /** The stock sandbox: bubblewrap, with cgroups joined before it starts. */
    static Sandbox bubblewrap(Path hiddenRoot) {
        return new BwrapSandbox(hiddenRoot);
    }

    /** The fallback for machines without bubblewrap: util-linux's unshare and setpriv. */
    static Sandbox unshare(Path hiddenRoot) {
        return new UnshareSandbox(hiddenRoot);
    }

    /** Bubblewrap where {@code bwrap} runs, else the unshare fallback. */
    static Sandbox best(Path hiddenRoot) {
        try {
            if (new ProcessBuilder("bwrap", "--version").redirectErrorStream(true).start().waitFor() == 0) {
                return bubblewrap(hiddenRoot);
            }
        } catch (IOException e) {
            // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return unshare(hiddenRoot);
    }
}
