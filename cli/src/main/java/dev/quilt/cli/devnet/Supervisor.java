package dev.quilt.cli.devnet;

import dev.quilt.cli.CliException;
import dev.quilt.cli.command.ChainApiClient;
import dev.quilt.cli.command.FarmCreateCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine;

/**
 * The devnet's supervisor: one per devnet directory (a file lock says which), it runs each part
 * as its own child process, restarts one that dies with a doubling back-off, and stops them all on
 * SIGTERM. Leftovers of an earlier supervisor (killed, or the machine rebooted) are found by their
 * pid files and replaced; every part resumes from its persisted data.
 */
final class Supervisor {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STABLE = Duration.ofSeconds(60);

    private final DevnetLayout layout;
    private final DevnetConfig config;
    private final List<Running> running = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** A part and its current process. */
    private static final class Running {
        final Parts.Part part;
        Process process;
        Instant started;
        Instant restartAt;
        Duration backoff = Duration.ofSeconds(1);
        int restarts;

        Running(Parts.Part part) {
            this.part = part;
        }
    }

    Supervisor(DevnetLayout layout, DevnetConfig config) {
        this.layout = layout;
        this.config = config;
    }

    /** Runs until SIGTERM; returns at once (false) when another supervisor holds the lock. */
    boolean run() throws IOException, InterruptedException {
        Files.createDirectories(layout.lock().getParent());
        Files.createDirectories(layout.log("x").getParent());
        try (FileChannel channel = FileChannel.open(layout.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                event("already-running", "dir=" + layout.dir());
                return false;
            }
            Files.writeString(layout.supervisorPid(), Long.toString(ProcessHandle.current().pid()));
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "devnet-stop"));
            for (Parts.Part part : Parts.validators(layout, config)) {
                start(new Running(part));
            }
            List<Long> farmIds = farms();
            dev.quilt.chain.Resources machine = dev.quilt.node.CapacityProbe.measure(List.of(layout.dir()));
            int n = config.nodes().size();
            for (int i = 0; i < n; i++) {
                DevnetConfig.NodeSpec node = config.nodes().get(i);
                start(new Running(Parts.node(layout, config, node, farmIds.get(node.farm()), Parts.share(machine, n, i))));
            }
            event("ready-to-supervise", "parts=" + running.size());
            while (!stopping) {
                watch();
                Thread.sleep(500);
            }
            return true;
        }
    }

    /** The farm ids, creating each farm (and its farmer's twin) the first time. */
    private List<Long> farms() throws InterruptedException {
        ChainApiClient chain = new ChainApiClient(config.apiUrl());
        awaitApi(chain);
        List<Long> ids = new ArrayList<>();
        for (int f = 0; f < config.farms().size(); f++) {
            String name = config.farms().get(f).name();
            OptionalLong id = chain.call(c -> c.farmNamed(name));
            if (id.isEmpty()) {
                StringWriter out = new StringWriter();
                CommandLine create = new CommandLine(new FarmCreateCommand());
                create.setOut(new PrintWriter(out));
                create.setErr(new PrintWriter(out));
                int code = create.execute("--key", layout.key("farmer-" + (f + 1)).toString(), "--name", name,
                        "--api", config.apiUrl(), "--wait");
                if (code != 0) {
                    throw CliException.unavailable("cannot create farm " + name + ": " + out.toString().strip(), null);
                }
                id = chain.call(c -> c.farmNamed(name));
                event("farm-created", "name=" + name + " id=" + id.orElseThrow());
            }
            ids.add(id.orElseThrow());
        }
        return ids;
    }

    private void awaitApi(ChainApiClient chain) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                chain.call(c -> c.status());
                return;
            } catch (CliException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                watch();
                Thread.sleep(200);
            }
        }
    }

    private void start(Running r) throws IOException {
        replaceLeftover(r.part.name());
        ProcessBuilder builder = new ProcessBuilder(r.part.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log(r.part.name()).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        r.process = builder.start();
        r.started = Instant.now();
        r.restartAt = null;
        Files.writeString(layout.pidFile(r.part.name()), Long.toString(r.process.pid()));
        if (!running.contains(r)) {
            running.add(r);
        }
        event("started", "part=" + r.part.name() + " pid=" + r.process.pid() + " restarts=" + r.restarts);
    }

    /** A part's process left by an earlier supervisor is stopped, so the new one owns its ports and data. */
    private void replaceLeftover(String part) throws IOException {
        Path pidFile = layout.pidFile(part);
        if (!Files.exists(pidFile)) {
            return;
        }
        DevnetProcesses.stop(DevnetProcesses.alive(pidFile, layout.dir()), Duration.ofSeconds(20));
        Files.deleteIfExists(pidFile);
    }

    private void watch() {
        for (Running r : running) {
            if (stopping || r.process.isAlive()) {
                continue;
            }
            Instant now = Instant.now();
            if (r.restartAt == null) {
                if (Duration.between(r.started, now).compareTo(STABLE) > 0) {
                    r.backoff = Duration.ofSeconds(1);
                }
                r.restartAt = now.plus(r.backoff);
                event("exited", "part=" + r.part.name() + " code=" + r.process.exitValue() + " restart-in=" + r.backoff.toMillis() + "ms");
                r.backoff = r.backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : r.backoff.multipliedBy(2);
            } else if (!now.isBefore(r.restartAt)) {
                r.restarts++;
                try {
                    start(r);
                } catch (IOException e) {
                    r.restartAt = now.plus(r.backoff);
                    event("start-failed", "part=" + r.part.name() + " reason=\"" + e.getMessage() + "\"");
                }
            }
        }
    }

    /** SIGTERM to every part, node agents first (their workloads stop with them), then the chain. */
    private void stopAll() {
        stopping = true;
        List<Running> reversed = new ArrayList<>(running);
        java.util.Collections.reverse(reversed);
        for (Running r : reversed) {
            DevnetProcesses.stop(java.util.Optional.of(r.process.toHandle()), Duration.ofSeconds(20));
            try {
                Files.deleteIfExists(layout.pidFile(r.part.name()));
            } catch (IOException e) {
                // a stale pid file is checked against the process's command line before it is used
            }
            event("stopped", "part=" + r.part.name());
        }
        try {
            Files.deleteIfExists(layout.supervisorPid());
        } catch (IOException e) {
            // as above
        }
    }

    private static void event(String event, String fields) {
        System.out.println("time=" + Instant.now() + " event=" + event + " " + fields);
        System.out.flush();
    }
}
