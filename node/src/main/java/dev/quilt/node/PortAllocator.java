package dev.quilt.node;

import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives process workloads host ports from the node's range, and keeps each one for the
 * workload's life: the assignment is stored beside the deployment and found again after an agent
 * restart, so a workload's endpoints do not move.
 *
 * <pre>
 * &lt;store&gt;/&lt;contract&gt;.ports   lines "workload port hostPort" (atomic writes)
 * &lt;claims&gt;/&lt;hostPort&gt;         the data directory of the agent holding the port
 * </pre>
 * A port is given only when no agent on this machine claims it and it binds (tcp and udp) right
 * now. The claims directory is machine-wide (a tmpfs, {@code /run/quilt/ports}), which keeps two
 * agents with different data directories and overlapping ranges apart: binding alone cannot, as a
 * port stays free between its assignment and the workload binding it. A claim whose agent's data
 * directory is gone is stale and taken over.
 *
 * <p>Thread-safe: methods are synchronized.
 */
final class PortAllocator {
    static final Path MACHINE_CLAIMS = Path.of("/run/quilt/ports");
    private static final Logger log = LoggerFactory.getLogger(PortAllocator.class);
    private static final String SUFFIX = ".ports";

    private final Path store;
    private final NodeConfig.PortRange range;
    private final Path claims;
    private final String owner;
    // contract → "workload port" → host port
    private final Map<Long, Map<String, Integer>> assigned = new TreeMap<>();
    private final Set<Integer> used = new HashSet<>();

    PortAllocator(Path store, NodeConfig.PortRange range, Path claims, Path owner) throws IOException {
        this.store = Files.createDirectories(store);
        this.range = range;
        this.claims = Files.createDirectories(claims);
        this.owner = owner.toAbsolutePath().normalize().toString();
        try (Stream<Path> files = Files.list(store)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                String name = f.getFileName().toString();
                long contract = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                Map<String, Integer> ports = new LinkedHashMap<>();
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String[] p = line.split(" ");
                    if (p.length != 3) {
                        throw new IOException(f + ": corrupt line '" + line + "' (expected: workload port hostPort)");
                    }
                    ports.put(p[0] + " " + p[1], Integer.parseInt(p[2]));
                }
                assigned.put(contract, ports);
                used.addAll(ports.values());
            }
        }
        for (int port : used) {
            claim(port);
        }
    }

    /**
     * The host ports of one process: those it had, and new ones for ports it did not have;
     * ports it no longer declares are released.
     */
    synchronized Map<String, Integer> assign(long contract, String workload, List<Workload.Port> ports) throws IOException {
        Map<String, Integer> all = assigned.computeIfAbsent(contract, c -> new LinkedHashMap<>());
        Set<String> wanted = new HashSet<>();
        ports.forEach(p -> wanted.add(workload + " " + p.name()));
        all.entrySet().removeIf(e -> e.getKey().startsWith(workload + " ") && !wanted.contains(e.getKey()) && release(e.getValue()));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Workload.Port p : ports) {
            Integer port = all.get(workload + " " + p.name());
            if (port == null) {
                port = allocate();
                all.put(workload + " " + p.name(), port);
            }
            out.put(p.name(), port);
        }
        save(contract);
        return out;
    }

    /** Releases every port of one process (the workload was removed). */
    synchronized void release(long contract, String workload) throws IOException {
        Map<String, Integer> all = assigned.get(contract);
        if (all != null && all.entrySet().removeIf(e -> e.getKey().startsWith(workload + " ") && release(e.getValue()))) {
            save(contract);
        }
    }

    /** Releases every port of a contract (its deployment was torn down). */
    synchronized void release(long contract) throws IOException {
        Map<String, Integer> all = assigned.remove(contract);
        if (all != null) {
            all.values().forEach(this::release);
        }
        Files.deleteIfExists(file(contract));
    }

    private int allocate() throws IOException {
        for (int port = range.low(); port <= range.high(); port++) {
            if (!used.contains(port) && claim(port) && bindable(port)) {
                used.add(port);
                return port;
            }
            if (!used.contains(port)) {
                unclaim(port);
            }
        }
        throw new IOException("no free port left in " + range + " (" + used.size() + " held by this node)");
    }

    private boolean release(int port) {
        used.remove(port);
        unclaim(port);
        return true;
    }

    /** Takes the machine-wide claim on {@code port}; false when another live agent holds it. */
    private boolean claim(int port) throws IOException {
        Path claim = claims.resolve(Integer.toString(port));
        try {
            Files.writeString(claim, owner, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            String holder;
            try {
                holder = Files.readString(claim).strip();
            } catch (NoSuchFileException gone) {
                return claim(port);
            }
            if (holder.equals(owner) || !Files.isDirectory(Path.of(holder))) {
                Files.writeString(claim, owner);
                return true;
            }
            if (used.contains(port)) {
                log.warn("port {} is stored for a workload of this node but claimed by the agent of {}", port, holder);
            }
            return false;
        }
    }

    private void unclaim(int port) {
        Path claim = claims.resolve(Integer.toString(port));
        try {
            if (Files.readString(claim).strip().equals(owner)) {
                Files.deleteIfExists(claim);
            }
        } catch (IOException e) {
            // Not ours or already gone.
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(port));
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(port))) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private void save(long contract) throws IOException {
        StringBuilder text = new StringBuilder();
        assigned.getOrDefault(contract, Map.of()).forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        AtomicFiles.write(file(contract), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Path file(long contract) {
        return store.resolve(contract + SUFFIX);
    }
}
