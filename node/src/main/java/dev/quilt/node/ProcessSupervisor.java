package dev.quilt.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@code process} workload running in its {@link Sandbox}: starts it, captures its output
 * into a {@link BoundedLog}, and when it exits applies its restart policy with {@link Backoff}. An
 * exit caused by its memory limit is reported as an OOM kill (the kernel killed the workload, not
 * the node).
 *
 * <p>Thread-safe. One virtual thread supervises; {@link #result()} publishes an immutable
 * snapshot through a volatile field; {@link #close()} stops the loop, kills the process tree and
 * removes the cgroup.
 */
final class ProcessSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);
    static final long LOG_BYTES = 1 << 20;
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{(host|port\\.([^}]*))}");

    private final String id;
    private final Workload.Process workload;
    private final Sandbox.Spec spec;
    private final Sandbox sandbox;
    private final Cgroup cgroup;
    private final BoundedLog output;
    private final Backoff backoff;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private final Map<String, String> endpoints;
    private final Optional<HealthMonitor> health;
    private volatile WorkloadResult result;
    private volatile Process process;
    private volatile int starts;
    private volatile boolean running;
    private volatile boolean frozen;

    /**
     * Where the workload is reached: {@code host} is the node's workload address, {@code ports}
     * its ports' names → the host ports given to them.
     */
    record Network(String host, Map<String, Integer> ports) {
        static final Network NONE = new Network("127.0.0.1", Map.of());

        Network {
            ports = Map.copyOf(ports);
        }
    }

    private ProcessSupervisor(String id, Workload.Process workload, Sandbox.Spec spec, Sandbox sandbox, Cgroup cgroup,
                              BoundedLog output, Backoff backoff, Network network) {
        this.id = id;
        this.workload = workload;
        this.spec = spec;
        this.sandbox = sandbox;
        this.cgroup = cgroup;
        this.output = output;
        this.backoff = backoff;
        Map<String, String> eps = new TreeMap<>();
        network.ports().forEach((name, port) -> eps.put(name, network.host() + ":" + port));
        this.endpoints = Map.copyOf(eps);
        this.health = workload.health().map(h -> new HealthMonitor(id, h, network.host(), network.ports().get(h.port())));
        set(WorkloadResult.State.INIT, "starting");
        this.thread = Thread.ofVirtual().name("workload-" + id).unstarted(this::supervise);
    }

    /**
     * Starts supervising. {@code id} names the cgroup and the sandbox's host name; {@code dir} is
     * the workload's directory on the host: {@code dir/root} becomes its private directory and
     * {@code dir/output.log} its log.
     */
    static ProcessSupervisor start(String id, Workload.Process workload, Path dir, List<Sandbox.Bind> binds, Sandbox sandbox,
                                   CgroupHierarchy cgroups, Backoff backoff) throws IOException {
        return start(id, workload, dir, binds, sandbox, cgroups, backoff, Network.NONE, Map.of());
    }

    /**
     * As above, with the host ports given to the workload ({@code ${port.<name>}} and {@code ${host}}
     * replaced in its args, {@code QUILT_PORT_<NAME>} set) and its opened secrets, written to
     * {@code /work/.secrets/<name>} (mode 0400) in its private directory and nowhere else.
     */
    static ProcessSupervisor start(String id, Workload.Process workload, Path dir, List<Sandbox.Bind> binds, Sandbox sandbox,
                                   CgroupHierarchy cgroups, Backoff backoff, Network network, Map<String, byte[]> secrets)
            throws IOException {
        // Refused before anything is written: a workload whose limits cannot be enforced never runs.
        Cgroup cgroup = cgroups.create(id, workload.limits());
        Path root;
        try {
            root = Files.createDirectories(dir.resolve("root"));
            SecretFiles.write(root, secrets);
        } catch (IOException | RuntimeException e) {
            cgroup.destroy();
            throw e;
        }
        SortedMap<String, String> env = new TreeMap<>(workload.env());
        for (Workload.Port p : workload.ports()) {
            env.put(p.envName(), Integer.toString(network.ports().get(p.name())));
        }
        List<String> args = workload.args().stream().map(a -> substitute(a, network)).toList();
        Sandbox.Spec spec = new Sandbox.Spec(workload.name(), workload.command(), args, env, root, binds, cgroup);
        ProcessSupervisor s = new ProcessSupervisor(id, workload, spec, sandbox, cgroup,
                new BoundedLog(dir.resolve("output.log"), LOG_BYTES), backoff, network);
        s.thread.start();
        return s;
    }

    /** {@code ${host}} and {@code ${port.<name>}} replaced; anything else is left as written. */
    static String substitute(String arg, Network network) {
        return SUBSTITUTION.matcher(arg).replaceAll(m -> Matcher.quoteReplacement(m.group(1).equals("host") ? network.host()
                : String.valueOf(network.ports().get(m.group(2)))));
    }

    /** What the owner sees: the supervisor's view, judged by the health check while the process runs. */
    WorkloadResult result() {
        WorkloadResult r = result;
        if (frozen) {
            return new WorkloadResult(r.name(), r.version(), WorkloadResult.State.PAUSED,
                    "frozen: contract in grace period", null, r.endpoints(), r.restarts());
        }
        if (health.isEmpty() || r.state() == WorkloadResult.State.DELETED) {
            return r;
        }
        return running ? health.get().judge(r) : HealthMonitor.notRunning(r);
    }

    /** How many times the process was started. */
    int starts() {
        return starts;
    }

    /** The last {@code bytes} of the workload's output. */
    byte[] logTail(int bytes) throws IOException {
        return output.tail(bytes);
    }

    /** Output after a position of the log ({@link BoundedLog#read}). */
    BoundedLog.Chunk logRead(long epoch, long from, int max) throws IOException {
        return output.read(epoch, from, max);
    }

    /** Waits for output past a position of the log ({@link BoundedLog#awaitOutput}). */
    void awaitLog(long epoch, long from, java.time.Duration max) throws IOException, InterruptedException {
        output.awaitOutput(epoch, from, max);
    }

    private void supervise() {
        int failures = 0;
        while (stop.getCount() > 0) {
            long oomBefore = cgroup.oomKills();
            long started = System.nanoTime();
            int status;
            try {
                Process p = sandbox.start(spec);
                process = p;
                starts++;
                health.ifPresent(HealthMonitor::started);
                running = true;
                set(WorkloadResult.State.OK, "running (start " + starts + ")");
                Thread copier = Thread.ofVirtual().start(() -> copy(p.getInputStream()));
                try {
                    status = p.waitFor();
                } finally {
                    running = false;
                }
                copier.join(Duration.ofSeconds(5));
            } catch (IOException e) {
                set(WorkloadResult.State.ERROR, "cannot start: " + e.getMessage());
                status = -1;
            } catch (InterruptedException e) {
                break;
            }
            if (stop.getCount() == 0) {
                break;
            }
            boolean oom = cgroup.oomKills() > oomBefore;
            String why = oom ? "killed: out of memory (limit " + workload.limits().memoryBytes() + " bytes)"
                    : status == BwrapSandbox.CANNOT_JOIN_CGROUP ? "cannot join its cgroup"
                    : status > 128 ? "killed by signal " + (status - 128) : "exited with status " + status;
            boolean failed = oom || status != 0;
            boolean restart = switch (workload.restart()) {
                case NEVER -> false;
                case ON_FAILURE -> failed;
                case ALWAYS -> true;
            };
            if (!restart) {
                set(failed ? WorkloadResult.State.ERROR : WorkloadResult.State.OK, why);
                return;
            }
            failures = Duration.ofNanos(System.nanoTime() - started).compareTo(backoff.stable()) >= 0 ? 1 : failures + 1;
            Duration delay = backoff.delay(failures);
            set(failed ? WorkloadResult.State.ERROR : WorkloadResult.State.OK,
                    why + String.format(Locale.ROOT, "; restarting in %d ms (failure %d in a row)", delay.toMillis(), failures));
            log.info("workload {} {}", id, result.message());
            try {
                if (stop.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void copy(InputStream in) {
        try (in) {
            output.copy(in);
        } catch (IOException e) {
            log.warn("workload {}: output capture stopped: {}", id, e.getMessage());
        }
    }

    private void set(WorkloadResult.State state, String message) {
        result = new WorkloadResult(workload.name(), workload.version(), state, message, null, new TreeMap<>(endpoints),
                Math.max(0, starts - 1));
    }

    /**
     * Freezes the process tree where it stands (the cgroup freezer): no CPU, its memory and
     * sockets kept, so that {@link #resume} continues it exactly there.
     */
    void pause() throws IOException {
        cgroup.freeze(true);
        frozen = true;
    }

    /** Thaws a paused process tree; its health check starts over. */
    void resume() throws IOException {
        cgroup.freeze(false);
        frozen = false;
        health.ifPresent(HealthMonitor::started);
    }

    /** Stops the workload: no more restarts, the process tree killed, the cgroup removed. */
    @Override
    public void close() {
        stop.countDown();
        health.ifPresent(HealthMonitor::close);
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        cgroup.destroy();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cgroup.destroy();
        frozen = false;
        set(WorkloadResult.State.DELETED, "stopped");
    }
}
