package dev.quilt.node;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
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
     * @param args    {@code ${port.<name>}} is replaced by the host port allocated for that port,
     *                {@code ${host}} by the node's workload address
     * @param env sorted by name; {@code QUILT_PORT_<NAME>} is set by the node for each port
     * @param mounts volumes of the same document, bound read-write at the given paths
     * @param ports host ports the node allocates for the process, stable for its life
     * @param health probed by the node from outside the sandbox
     * @param secrets opened by the node only into {@code /work/.secrets/<name>} inside the sandbox
     */
    record Process(String name, long version, String command, List<String> args, SortedMap<String, String> env,
                   Limits limits, RestartPolicy restart, List<Mount> mounts, List<Port> ports,
                   Optional<HealthCheck> health, List<SealedSecret> secrets) implements Workload {
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
                if (k.startsWith(Port.ENV_PREFIX)) {
                    throw new IllegalArgumentException("env name: " + k + " (names starting with " + Port.ENV_PREFIX
                            + " are set by the node)");
                }
                text("env " + k, v);
            });
            mounts = List.copyOf(mounts);
            ports = List.copyOf(ports);
            secrets = List.copyOf(secrets);
            if (args.size() > MAX_ITEMS || env.size() > MAX_ITEMS || mounts.size() > MAX_ITEMS
                    || ports.size() > MAX_PORTS || secrets.size() > MAX_ITEMS) {
                throw new IllegalArgumentException("process " + name + ": more than " + MAX_ITEMS
                        + " args, env entries, mounts or secrets, or more than " + MAX_PORTS + " ports");
            }
            Map<String, Port> byName = new HashMap<>();
            for (Port p : ports) {
                if (byName.put(p.name(), p) != null) {
                    throw new IllegalArgumentException("process " + name + ": port " + p.name() + " is declared twice");
                }
            }
            for (String a : args) {
                Matcher m = PORT_REFERENCE.matcher(a);
                while (m.find()) {
                    if (!byName.containsKey(m.group(1))) {
                        throw new IllegalArgumentException("process " + name + ": arg refers to ${port." + m.group(1)
                                + "}, which is not a port of this process");
                    }
                }
            }
            health.ifPresent(h -> {
                Port p = byName.get(h.port());
                if (p == null || p.protocol() != Protocol.TCP) {
                    throw new IllegalArgumentException("process " + name + ": health check on port " + h.port()
                            + ", which is not a tcp port of this process");
                }
            });
            Set<String> secretNames = new HashSet<>();
            for (SealedSecret s : secrets) {
                if (!secretNames.add(s.name())) {
                    throw new IllegalArgumentException("process " + name + ": secret " + s.name() + " is given twice");
                }
            }
        }

        /** A process without ports, health check or secrets. */
        public Process(String name, long version, String command, List<String> args, Map<String, String> env,
                       Limits limits, RestartPolicy restart, List<Mount> mounts) {
            this(name, version, command, args, new TreeMap<>(env), limits, restart, mounts, List.of(), Optional.empty(), List.of());
        }

        public Process withPorts(List<Port> ports) {
            return new Process(name, version, command, args, env, limits, restart, mounts, ports, health, secrets);
        }

        public Process withHealth(HealthCheck health) {
            return new Process(name, version, command, args, env, limits, restart, mounts, ports, Optional.of(health), secrets);
        }

        public Process withSecrets(List<SealedSecret> secrets) {
            return new Process(name, version, command, args, env, limits, restart, mounts, ports, health, secrets);
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

    /**
     * A published filesystem snapshot mounted thin: copy-on-write over a local cache of at most
     * {@code cacheBytes}, fetching from zstor only what is read. Processes of the same document bind
     * it like a volume, by naming it in their {@link Mount}s.
     *
     * @param manifest the snapshot's manifest hash, its identity
     * @param snapshot a ledger name; when given, the node mounts only if the ledger's proven record of
     *                 that name holds {@code manifest}
     * @param cacheBytes counted as SSD
     * @param zstor the zstor config (with its encryption key), sealed to the node like a secret
     */
    record Thin(String name, long version, dev.quilt.common.crypto.Hash256 manifest, Optional<String> snapshot,
                long cacheBytes, SealedSecret zstor) implements Workload {
        public static final Pattern SNAPSHOT_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

        public Thin {
            check(name, version);
            java.util.Objects.requireNonNull(manifest, "manifest");
            java.util.Objects.requireNonNull(zstor, "zstor");
            snapshot.ifPresent(s -> {
                if (!SNAPSHOT_NAME.matcher(s).matches()) {
                    throw new IllegalArgumentException("thin " + name + " snapshot name: '" + s + "' (expected: "
                            + SNAPSHOT_NAME.pattern() + ")");
                }
            });
            if (cacheBytes < MIN_THIN_CACHE) {
                throw new IllegalArgumentException("thin " + name + " cache: " + cacheBytes + " (expected: >= " + MIN_THIN_CACHE + ")");
            }
        }
    }

    /** Smallest thin cache: a few 1 MiB chunks must fit for reads to make progress. */
    long MIN_THIN_CACHE = 8L << 20;

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

    /** A volume or thin snapshot of the same deployment, bound read-write at an absolute path inside the sandbox. */
    record Mount(String volume, String path) {
        public Mount {
            if (!NAME.matcher(volume).matches() || !path.startsWith("/") || path.contains("..") || path.length() > 256) {
                throw new IllegalArgumentException("mount: " + volume + " at " + path + " (expected: a volume name and an absolute path without ..)");
            }
        }
    }

    /** Most ports one process may ask for. */
    int MAX_PORTS = 16;

    /** {@code ${port.<name>}} in a process's args. */
    Pattern PORT_REFERENCE = Pattern.compile("\\$\\{port\\.([^}]*)}");

    /**
     * A host port the node allocates for a process from its port range. The process finds it in
     * {@code QUILT_PORT_<NAME>} (upper-cased, {@code -} as {@code _}) and as {@code ${port.<name>}}
     * in its args.
     */
    record Port(String name, Protocol protocol) {
        public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,15}");
        static final String ENV_PREFIX = "QUILT_PORT_";

        public Port {
            checkName(name);
            java.util.Objects.requireNonNull(protocol, "protocol");
        }

        /** The environment variable holding the allocated port. */
        public String envName() {
            return ENV_PREFIX + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        }

        static void checkName(String name) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("port name: '" + name + "' (expected: " + NAME.pattern() + ")");
            }
        }
    }

    enum Protocol { TCP, UDP }

    /**
     * A secret sealed to one node's sealing key for one contract and name ({@link SecretSealer}).
     * The sealed form is what the document, the signature and the node's store hold.
     */
    record SealedSecret(String name, byte[] sealed) {
        public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

        public SealedSecret {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("secret name: '" + name + "' (expected: " + NAME.pattern() + ")");
            }
            if (sealed.length < SecretSealer.OVERHEAD || sealed.length > SecretSealer.OVERHEAD + SecretSealer.MAX_SECRET) {
                throw new IllegalArgumentException("secret " + name + ": " + sealed.length + " sealed bytes (expected: "
                        + SecretSealer.OVERHEAD + " to " + (SecretSealer.OVERHEAD + SecretSealer.MAX_SECRET) + ")");
            }
            sealed = sealed.clone();
        }

        @Override
        public byte[] sealed() {
            return sealed.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SealedSecret s && s.name.equals(name) && java.util.Arrays.equals(s.sealed, sealed);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + java.util.Arrays.hashCode(sealed);
        }

        /** Never the bytes, sealed or not. */
        @Override
        public String toString() {
            return "SealedSecret[" + name + ", " + sealed.length + " sealed bytes]";
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
