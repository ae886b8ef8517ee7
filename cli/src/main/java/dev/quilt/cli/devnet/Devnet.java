package dev.quilt.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.CliException;
import dev.quilt.chain.ChainClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A local grid on loopback: what {@code quilt devnet} manages and what {@code quilt deploy} uses
 * when no other grid is configured. Its parts run under a detached supervisor
 * ({@code quilt devnet supervise}), so they outlive the command that started them.
 */
public final class Devnet {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** Shared: readiness is polled four times a second, and a client per poll would start its threads each time. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DevnetLayout layout;

    public Devnet(Path dir) {
        this.layout = new DevnetLayout(dir);
    }

    public DevnetLayout layout() {
        return layout;
    }

    public boolean exists() {
        return layout.exists();
    }

    public DevnetConfig config() {
        try {
            return DevnetConfig.read(layout.dir());
        } catch (IOException e) {
            throw CliException.input("devnet " + layout.dir() + ": cannot read devnet.json (" + e.getMessage()
                    + "); remove the directory to start afresh");
        }
    }

    /**
     * Creates the devnet the first time, starts its supervisor unless one runs, and returns once the
     * chain answers and every node agent is registered and listening. Progress goes to {@code err}.
     */
    public DevnetConfig up(int validators, int farms, int nodes, PrintWriter err) throws IOException, InterruptedException {
        if (!layout.exists()) {
            Files.createDirectories(layout.dir());
            err.println("devnet: creating " + layout.dir() + " (" + validators + " validator(s), " + farms + " farm(s), "
                    + nodes + " node(s))");
            err.flush();
            DevnetCreator.create(layout, validators, farms, nodes);
        }
        DevnetConfig config = config();
        Optional<Process> started = Optional.empty();
        if (!supervisorRunning()) {
            err.println("devnet: starting the supervisor (log: " + layout.log("supervisor") + ")");
            err.flush();
            started = Optional.of(startSupervisor());
        }
        awaitReady(config, started, err);
        return config;
    }

    /** True when a supervisor holds this devnet's lock. */
    public boolean supervisorRunning() throws IOException {
        if (!Files.exists(layout.lock())) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(layout.lock(), StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        }
    }

    private Process startSupervisor() throws IOException {
        Files.createDirectories(layout.log("supervisor").getParent());
        List<String> command = new ArrayList<>();
        // Its own session: a Ctrl-C in the terminal that ran `devnet up` must not reach the grid.
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(Launcher.quilt("devnet", "supervise", "--dir", layout.dir().toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log("supervisor").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    private void awaitReady(DevnetConfig config, Optional<Process> started, PrintWriter err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String waitingFor = "";
        boolean supervisorSeen = false;
        while (true) {
            Status s = status(config);
            supervisorSeen |= s.supervisor().isPresent();
            if (s.ready()) {
                return;
            }
            String now = s.waitingFor();
            if (!now.equals(waitingFor)) {
                err.println("devnet: waiting for " + now);
                err.flush();
                waitingFor = now;
            }
            boolean exited = started.map(p -> !p.isAlive()).orElse(false) || supervisorSeen && s.supervisor().isEmpty();
            if (exited && !supervisorRunning()) {
                throw CliException.unavailable("the devnet supervisor exited; the end of " + layout.log("supervisor") + ": "
                        + tail(layout.log("supervisor")), null);
            }
            if (System.nanoTime() > deadline) {
                throw CliException.unavailable("the devnet is not ready after " + READY_TIMEOUT.toSeconds() + " s (still waiting for "
                        + now + "); see the logs in " + layout.log("supervisor").getParent(), null);
            }
            Thread.sleep(250);
        }
    }

    /** Stops the supervisor and every part it left; returns whether anything was running. */
    public boolean down() throws IOException {
        boolean any = false;
        Optional<ProcessHandle> supervisor = DevnetProcesses.alive(layout.supervisorPid(), layout.dir());
        if (supervisor.isPresent()) {
            any = true;
            DevnetProcesses.stop(supervisor, Duration.ofSeconds(90));
        }
        // Parts of a supervisor that was killed outright are still running: their pid files say where.
        Path run = layout.supervisorPid().getParent();
        if (Files.isDirectory(run)) {
            try (var files = Files.list(run)) {
                for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    Optional<ProcessHandle> part = DevnetProcesses.alive(pidFile, layout.dir());
                    any |= part.isPresent();
                    DevnetProcesses.stop(part, Duration.ofSeconds(20));
                    Files.deleteIfExists(pidFile);
                }
            }
        }
        return any;
    }

    /** What runs now: the supervisor, each part, the chain's head, each node's id and intake. */
    public Status status(DevnetConfig config) {
        Optional<Long> supervisor = DevnetProcesses.alive(layout.supervisorPid(), layout.dir()).map(ProcessHandle::pid);
        Map<String, Optional<Long>> parts = new LinkedHashMap<>();
        for (int v = 1; v <= config.raftPorts().size(); v++) {
            parts.put("validator-" + v, pid("validator-" + v));
        }
        OptionalLong height = OptionalLong.empty();
        try {
            height = OptionalLong.of(new ChainClient(URI.create(config.apiUrl())).status().height());
        } catch (IOException e) {
            // not answering yet: reported as such
        }
        Set<Long> up = height.isPresent() ? upNodes(config.apiUrl()) : Set.of();
        List<NodeStatus> nodes = new ArrayList<>();
        for (DevnetConfig.NodeSpec n : config.nodes()) {
            parts.put(n.name(), pid(n.name()));
            OptionalLong id = nodeId(n.name());
            nodes.add(new NodeStatus(n.name(), id, "http://127.0.0.1:" + n.intakePort(),
                    config.farms().get(n.farm()).name(), config.farms().get(n.farm()).country(), listening(n.intakePort()),
                    id.isPresent() && up.contains(id.getAsLong())));
        }
        // Parts left by a supervisor that was killed still answer, but the new one is about to replace them.
        boolean owned = supervisor.isPresent() && parts.values().stream().allMatch(pid -> pid.flatMap(ProcessHandle::of)
                .flatMap(ProcessHandle::parent).map(ProcessHandle::pid).equals(supervisor));
        return new Status(layout.dir(), config.apiUrl(), supervisor, parts, height, nodes, owned);
    }

    /**
     * The nodes the ledger counts as up (an uptime attestation in this window or the last): the scheduler
     * picks only those, so a node that registered but has not attested yet cannot take a deployment.
     */
    private static Set<Long> upNodes(String api) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/nodes?status=up"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Set.of();
            }
            Set<Long> ids = new HashSet<>();
            JSON.readTree(r.body()).forEach(n -> ids.add(n.get("id").asLong()));
            return ids;
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }

    private Optional<Long> pid(String part) {
        return DevnetProcesses.alive(layout.pidFile(part), layout.dir()).map(ProcessHandle::pid);
    }

    private OptionalLong nodeId(String node) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(layout.nodeData(node).resolve("node.id")).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** A node agent of the devnet; {@code id} is empty until it registered, {@code up} false until it attested uptime. */
    public record NodeStatus(String name, OptionalLong id, String intake, String farm, String country, boolean listening,
                             boolean up) {}

    /** A snapshot of the devnet. */
    public record Status(Path dir, String api, Optional<Long> supervisor, Map<String, Optional<Long>> parts, OptionalLong height,
                         List<NodeStatus> nodes, boolean owned) {
        /** The chain answers, every agent is registered, listening and up, and all are the running supervisor's children. */
        public boolean ready() {
            return owned && height.isPresent() && nodes.stream().allMatch(n -> n.id().isPresent() && n.listening() && n.up());
        }

        String waitingFor() {
            if (!owned) {
                return "the supervisor to run every part";
            }
            if (height.isEmpty()) {
                return "the chain API at " + api;
            }
            List<String> missing = nodes.stream().filter(n -> n.id().isEmpty() || !n.listening() || !n.up()).map(NodeStatus::name).toList();
            return "node agents to register and attest uptime: " + String.join(", ", missing);
        }
    }
}
