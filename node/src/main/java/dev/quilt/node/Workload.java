package dev.quilt.node;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One thing a deployment asks a node to run or keep. Each has a name unique in its document and
 * its own version: an update of the document touches only workloads whose version changed.
 */
public sealed interface Workload {
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    int MAX_TEXT = 4096;
    int MAX_ITEMS = 256;

    String name();

    long version();

    /**
     * A host binary run in its own mount, PID, IPC and UTS namespaces, with a private writable
     * directory and cgroup limits.
     *
     * @param command an absolute path on the host, seen read-only inside the sandbox
     * @param env sorted by name
     * @param mounts volumes of the same document, bound read-write at the given paths
     */
    record Process(String name, long version, String command, List<String> args, SortedMap<String, String> env,
                   Limits limits, RestartPolicy restart, List<Mount> mounts) implements Workload {
        public Process {
            check(name, version);
            text("command", command);
            if (!command.startsWith("/")) {
                throw new IllegalArgumentException("command: " + command + " (expected: an absolute path)");
            }
            args = List.copyOf(args);
            args.forEach(a -> text("arg", a));
            env = Collections.unmodifiableSortedMap(new TreeMap<>(env));
            env.forEach((k, v) -> {
                if (k.isEmpty() || k.contains("=")) {
                    throw new IllegalArgumentException("env name: '" + k + "' (expected: non-empty, without '=')");
                }
                text("env " + k, v);
            });
            mounts = List.copyOf(mounts);
            if (args.size() > MAX_ITEMS || env.size() > MAX_ITEMS || mounts.size() > MAX_ITEMS) {
                throw new IllegalArgumentException("process " + name + ": more than " + MAX_ITEMS + " args, env entries or mounts");
            }
        }

        public Process(String name, long version, String command, List<String> args, Map<String, String> env,
                       Limits limits, RestartPolicy restart, List<Mount> mounts) {
            this(name, version, command, args, new TreeMap<>(env), limits, restart, mounts);
        }
    }

    /** A directory of a fixed size, which workloads of the same deployment mount. */
    record Volume(String name, long version, long sizeBytes) implements Workload {
        public Volume {
            check(name, version);
            if (sizeBytes < MIN_VOLUME) {
                throw new IllegalArgumentException("volume " + name + " size: " + sizeBytes + " (expected: >= " + MIN_VOLUME + ")");
            }
        }
    }

    /** A namespace on the node's own zdb; the result gives its address and name. */
    record ZdbNamespace(String name, long version, long sizeBytes, ZdbMode mode, Optional<String> password, boolean isPublic)
            implements Workload {
        public ZdbNamespace {
            check(name, version);
            if (sizeBytes <= 0) {
                throw new IllegalArgumentException("zdb " + name + " size: " + sizeBytes + " (expected: > 0)");
            }
            password.ifPresent(p -> {
                if (p.isEmpty() || p.length() > 128 || p.chars().anyMatch(c -> c <= ' ')) {
                    throw new IllegalArgumentException("zdb " + name + " password: 1 to 128 printable characters without spaces");
                }
            });
        }
    }

    /** Smallest volume: an ext4 image needs room for its own metadata. */
    long MIN_VOLUME = 16L << 20;

    /** Per-process limits, enforced by cgroups. {@code cpuMillis}: thousandths of a logical CPU. */
    record Limits(long cpuMillis, long memoryBytes, long pids) {
        public Limits {
            if (cpuMillis <= 0 || memoryBytes < (4L << 20) || pids <= 0) {
                throw new IllegalArgumentException("limits: cpuMillis " + cpuMillis + ", memoryBytes " + memoryBytes
                        + ", pids " + pids + " (expected: > 0, >= 4 MiB, > 0)");
            }
        }
    }

    /** A volume of the same deployment, bound read-write at an absolute path inside the sandbox. */
    record Mount(String volume, String path) {
        public Mount {
            if (!NAME.matcher(volume).matches() || !path.startsWith("/") || path.contains("..") || path.length() > 256) {
                throw new IllegalArgumentException("mount: " + volume + " at " + path + " (expected: a volume name and an absolute path without ..)");
            }
        }
    }

    /** When a process that exited is started again (with back-off). */
    enum RestartPolicy { NEVER, ON_FAILURE, ALWAYS }

    /** zdb's namespace modes. */
    enum ZdbMode { USER, SEQ }

    private static void check(String name, long version) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("workload name: '" + name + "' (expected: " + NAME.pattern() + ")");
        }
        if (version < 1) {
            throw new IllegalArgumentException("workload " + name + " version: " + version + " (expected: >= 1)");
        }
    }

    private static void text(String field, String value) {
        if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + ": longer than " + MAX_TEXT + " bytes or holding NUL");
        }
    }
}
