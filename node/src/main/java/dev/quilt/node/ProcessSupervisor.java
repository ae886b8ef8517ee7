package dev.quilt.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    private final String id;
    private final Workload.Process workload;
    private final Sandbox.Spec spec;
    private final Sandbox sandbox;
    private final Cgroup cgroup;
    private final BoundedLog output;
    private final Backoff backoff;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile WorkloadResult result;
    private volatile Process process;
    private volatile int starts;

    private ProcessSupervisor(String id, Workload.Process workload, Sandbox.Spec spec, Sandbox sandbox, Cgroup cgroup,
                              BoundedLog output, Backoff backoff) {
        this.id = id;
        this.workload = workload;
        this.spec = spec;
        this.sandbox = sandbox;
        this.cgroup = cgroup;
        this.output = output;
        this.backoff = backoff;
        this.result = new WorkloadResult(workload.name(), workload.version(), WorkloadResult.State.INIT, "starting");
        this.thread = Thread.ofVirtual().name("workload-" + id).unstarted(this::supervise);
    }

    /**
     * Starts supervising. {@code id} names the cgroup and the sandbox's host name; {@code dir} is
     * the workload's directory on the host: {@code dir/root} becomes its private directory and
     * {@code dir/output.log} its log.
     */
    static ProcessSupervisor start(String id, Workload.Process workload, Path dir, List<Sandbox.Bind> binds, Sandbox sandbox,
                                   String cgroupParent, Backoff backoff) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Cgroup cgroup = Cgroup.create(cgroupParent, id, workload.limits());
        Sandbox.Spec spec = new Sandbox.Spec(workload.name(), workload.command(), workload.args(), workload.env(), root, binds, cgroup);
        ProcessSupervisor s = new ProcessSupervisor(id, workload, spec, sandbox, cgroup,
                new BoundedLog(dir.resolve("output.log"), LOG_BYTES), backoff);
        s.thread.start();
        return s;
    }

    WorkloadResult result() {
        return result;
    }

    /** How many times the process was started. */
    int starts() {
        return starts;
    }

    /** The last {@code bytes} of the workload's output. */
    byte[] logTail(int bytes) throws IOException {
        return output.tail(bytes);
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
                set(WorkloadResult.State.OK, "running (start " + starts + ")");
                Thread copier = Thread.ofVirtual().start(() -> copy(p.getInputStream()));
                status = p.waitFor();
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
        result = new WorkloadResult(workload.name(), workload.version(), state, message);
    }

    /** Stops the workload: no more restarts, the process tree killed, the cgroup removed. */
    @Override
    public void close() {
        stop.countDown();
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
        set(WorkloadResult.State.DELETED, "stopped");
    }
}
