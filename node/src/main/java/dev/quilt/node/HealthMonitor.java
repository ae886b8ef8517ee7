package dev.quilt.node;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Probes one process's health check every interval on a virtual thread of its own, and turns the
 * probes and the time since the process last started into what its owner sees: {@code init} until
 * a probe passes (an error once the start period is over), then {@code ok} while probes pass and
 * unhealthy when one fails.
 *
 * <p>Thread-safe: the probe thread publishes an immutable {@link View} through a volatile field.
 */
final class HealthMonitor implements AutoCloseable {
    /** What the probes said since the process last started. */
    private record View(long startedNanos, boolean passedOnce, Optional<String> lastFailure, int probes) {}

    private final HealthCheck check;
    private final String host;
    private final int port;
    private final HealthProbe probe = new HealthProbe();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile View view = new View(System.nanoTime(), false, Optional.empty(), 0);

    HealthMonitor(String id, HealthCheck check, String host, int port) {
        this.check = check;
        this.host = host;
        this.port = port;
        this.thread = Thread.ofVirtual().name("health-" + id).start(this::run);
    }

    /** The process was (re)started: it is starting again until a probe passes. */
    void started() {
        view = new View(System.nanoTime(), false, Optional.empty(), 0);
    }

    /**
     * The result of a running process as its health makes it: {@code running} is what the
     * supervisor would report without a health check.
     */
    WorkloadResult judge(WorkloadResult running) {
        View v = view;
        boolean inStartPeriod = Duration.ofNanos(System.nanoTime() - v.startedNanos()).compareTo(check.timing().startPeriod()) < 0;
        if (!v.passedOnce()) {
            String last = v.probes() == 0 ? "no probe yet" : v.lastFailure().orElse("passed");
            if (inStartPeriod) {
                return with(running, WorkloadResult.State.INIT, "waiting for health check (" + last + ")", "starting");
            }
            return with(running, WorkloadResult.State.ERROR, "health check failing: " + last, "unhealthy: " + last);
        }
        if (v.lastFailure().isEmpty()) {
            return with(running, WorkloadResult.State.OK, running.message(), "healthy");
        }
        String reason = v.lastFailure().get();
        return with(running, inStartPeriod ? WorkloadResult.State.OK : WorkloadResult.State.ERROR,
                inStartPeriod ? running.message() : "health check failing: " + reason, "unhealthy: " + reason);
    }

    /** A process that does not run is not healthy, whatever the last probe said. */
    static WorkloadResult notRunning(WorkloadResult stopped) {
        return with(stopped, stopped.state(), stopped.message(), "unhealthy: not running");
    }

    private static WorkloadResult with(WorkloadResult r, WorkloadResult.State state, String message, String health) {
        return new WorkloadResult(r.name(), r.version(), state, message, health, r.endpoints(), r.restarts());
    }

    private void run() {
        try {
            do {
                View before = view;
                Optional<String> failure = probe.probe(check, host, port);
                View now = view;
                if (now.startedNanos() == before.startedNanos()) {
                    view = new View(now.startedNanos(), now.passedOnce() || failure.isEmpty(), failure, now.probes() + 1);
                }
            } while (!stop.await(check.timing().interval().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop.countDown();
        thread.interrupt();
    }
}
