package dev.quilt.zdb.server;

import dev.quilt.zdb.command.HookRun;
import dev.quilt.zdb.store.StoreListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code --hook} program as {@code [hook, event, instanceId, args...]} for store and server events,
 * and remembers the runs for HOOKS.
 *
 * <p><b>Blocking.</b> {@code namespaces-init}, {@code ready} (a non-zero exit aborts start-up) and {@code close}
 * are waited for. {@code missing-data} (bounded by {@link #MISSING_DATA_TIMEOUT}) is waited for only before the
 * server serves (start-up) and off the event loop. Once {@link #deferMissingDataOn} named the event loop, a read
 * there that finds its data file missing does not wait: {@link #missingData} notes the file and answers
 * "not there", the read fails without having changed anything, and the connection handler fetches the file
 * with {@link #fetch} on a virtual thread and runs the request again. So a retrieval never stalls other
 * connections or namespaces, unlike 0-db, whose missing-data hook blocks the whole server. Every other event,
 * including {@code jump-index} and {@code jump-data}, is started and not waited for: unlike 0-db, whose
 * jump-index hook blocks the whole server, a slow backup hook never stalls our event loop. The price is that
 * a jump hook may still be running when the next write lands; our index files are never rewritten in place,
 * so the dirty list it receives is always empty and there is nothing to reset.
 *
 * <p>Thread-safe: called on the event loop; exits are recorded from process-reaper threads.
 */
final class HookRunner implements StoreListener, Supplier<List<HookRun>> {

    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    /** How long a read waits for the missing-data hook to put a file back. */
    static final Duration MISSING_DATA_TIMEOUT = Duration.ofSeconds(60);
    /** Finished runs stay listed by HOOKS this long. */
    static final long KEEP_FINISHED_SECONDS = 60;

    private final Optional<Path> hook;
    private final Clock clock;
    private volatile String instanceId;
    private final Object lock = new Object();
    /** The event loop thread, once the server serves: missing-data there is deferred, not waited for. */
    private volatile Thread deferOn;
    /** The data file the last request on the loop needed; confined to the loop. */
    private Path needed;
    /** One hook run per missing file, however many requests wait for it. */
    private final Map<Path, CompletableFuture<Boolean>> fetching = new ConcurrentHashMap<>();
    // @GuardedBy("lock")
    private final List<Run> runs = new ArrayList<>();

    private static final class Run {
        final String event;
        final List<String> args;
        final long pid;
        final long created;
        volatile long finished;
        volatile int exit;

        Run(String event, List<String> args, long pid, long created) {
            this.event = event;
            this.args = args;
            this.pid = pid;
            this.created = created;
        }
    }

    HookRunner(Optional<Path> hook, String instanceId, Clock clock) {
        this.hook = hook;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    void instanceId(String id) {
        this.instanceId = id;
    }

    /** Runs the ready hook and waits: its exit code (0 when no hook is configured). */
    int ready() {
        return runBlocking("ready", List.of(), null);
    }

    /** Runs the close hook and waits. */
    void close() {
        runBlocking("close", List.of(), null);
    }

    @Override
    public void namespacesInit(Path indexRoot, Path dataRoot) {
        runBlocking("namespaces-init", List.of(indexRoot.toString(), dataRoot.toString()), null);
    }

    @Override
    public void namespaceCreated(String name) {
        runAsync("namespace-created", List.of(name));
    }

    @Override
    public void namespaceUpdated(String name) {
        runAsync("namespace-updated", List.of(name));
    }

    @Override
    public void namespaceDeleted(String name) {
        runAsync("namespace-deleted", List.of(name));
    }

    @Override
    public void namespaceReloaded(String name) {
        runAsync("namespace-reloaded", List.of(name));
    }

    @Override
    public void jumped(String namespace, Path oldIndex, Path newIndex, Path oldData, Path newData) {
        runAsync("jump-index", List.of(oldIndex.toString(), newIndex.toString(), ""));
        runAsync("jump-data", List.of(oldData.toString(), newData.toString()));
    }

    @Override
    public void namespaceClosing(String name, Path index, Path data) {
        runAsync("namespace-closing", List.of(name, index.toString(), data.toString(), ""));
    }

    /** From now on, a missing data file met on {@code loop} is noted for {@link #takeNeededDataFile}, not fetched. */
    void deferMissingDataOn(Thread loop) {
        this.deferOn = loop;
    }

    @Override
    public boolean missingData(Path dataFile) {
        if (hook.isEmpty()) {
            return false;
        }
        if (Thread.currentThread() == deferOn) {
            // Waiting here would stall every connection: note the file and let the read fail; the connection
            // handler fetches it off the loop and runs the request again.
            needed = dataFile;
            return false;
        }
        return fetch(dataFile).join();
    }

    /** The data file the request that just ran on the loop found missing, or null; clears it. */
    Path takeNeededDataFile() {
        Path p = needed;
        needed = null;
        return p;
    }

    /**
     * Runs the missing-data hook for {@code dataFile} on a virtual thread: completes with true when it exited 0.
     * Requests that need the same file while the hook runs share the run.
     */
    CompletableFuture<Boolean> fetch(Path dataFile) {
        if (hook.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = fetching.putIfAbsent(dataFile, mine);
        if (running != null) {
            return running;
        }
        Thread.ofVirtual().name("missing-data-hook").start(() -> {
            try {
                mine.complete(runBlocking("missing-data", List.of(dataFile.toString()), MISSING_DATA_TIMEOUT) == 0);
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                fetching.remove(dataFile, mine);
            }
        });
        return mine;
    }

    @Override
    public void truncated(Path file, long offset, long bytesCut) {
        LOG.warn("event=recovery_truncated file={} offset={} bytes_cut={}", file, offset, bytesCut);
    }

    @Override
    public List<HookRun> get() {
        long now = clock.millis() / 1000;
        synchronized (lock) {
            runs.removeIf(r -> r.finished != 0 && now - r.finished > KEEP_FINISHED_SECONDS);
            List<HookRun> out = new ArrayList<>(runs.size());
            for (Run r : runs) {
                out.add(new HookRun(r.event, r.args, r.pid, r.created, r.finished, r.exit));
            }
            return out;
        }
    }

    private Process start(String event, List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(args.size() + 3);
        argv.add(hook.orElseThrow().toString());
        argv.add(event);
        argv.add(instanceId);
        argv.addAll(args);
        return new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private Run record(String event, List<String> args, Process process) {
        Run run = new Run(event, List.copyOf(args), process.pid(), clock.millis() / 1000);
        synchronized (lock) {
            runs.add(run);
        }
        return run;
    }

    private void finished(Run run, int exit) {
        run.exit = exit;
        run.finished = Math.max(1, clock.millis() / 1000);
        if (exit != 0) {
            LOG.warn("event=hook_failed hook={} pid={} exit={}", run.event, run.pid, exit);
        } else {
            LOG.debug("event=hook_done hook={} pid={}", run.event, run.pid);
        }
    }

    private void runAsync(String event, List<String> args) {
        if (hook.isEmpty()) {
            return;
        }
        try {
            Process process = start(event, args);
            Run run = record(event, args, process);
            process.onExit().thenAccept(p -> finished(run, p.exitValue()));
        } catch (IOException e) {
            LOG.error("event=hook_start_failed hook={} program={}", event, hook.get(), e);
        }
    }

    private int runBlocking(String event, List<String> args, Duration timeout) {
        if (hook.isEmpty()) {
            return 0;
        }
        try {
            Process process = start(event, args);
            Run run = record(event, args, process);
            boolean done;
            if (timeout == null) {
                process.waitFor();
                done = true;
            } else {
                done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!done) {
                LOG.warn("event=hook_timeout hook={} pid={} timeout_ms={}", event, run.pid, timeout.toMillis());
                process.destroyForcibly();
                process.onExit().thenAccept(p -> finished(run, p.exitValue()));
                return -1;
            }
            finished(run, process.exitValue());
            return process.exitValue();
        } catch (IOException e) {
            LOG.error("event=hook_start_failed hook={} program={}", event, hook.get(), e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
