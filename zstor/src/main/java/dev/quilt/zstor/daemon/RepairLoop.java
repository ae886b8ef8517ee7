package dev.quilt.zstor.daemon;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.CheckReport;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.RebuildReport;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps every stored object: scrubs it with {@link Zstor#check} (every shard read and verified, not only
 * "is the backend up", which is all 0-stor_v2's sweep looked at) and rebuilds the degraded ones. Throttled so
 * the sweep does not take the backends' bandwidth: a scrub budget in bytes per second and a pause between
 * objects. One sweep at a time; the next starts {@link DaemonConfig.Repair#sweepInterval()} after the last ended.
 *
 * <p>An object that cannot be checked or rebuilt is counted and logged, and the sweep goes on with the next: it
 * is tried again next sweep. A LOST object cannot be rebuilt; it is reported, not touched.
 */
final class RepairLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepairLoop.class);

    /** What one sweep found. */
    record Sweep(long healthy, long degraded, long lost, long errors, long shardsRebuilt) { }

    private final Zstor zstor;
    private final DaemonConfig.Repair config;
    private final DaemonMetrics metrics;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    RepairLoop(Zstor zstor, DaemonConfig.Repair config, DaemonMetrics metrics) {
        this.zstor = zstor;
        this.config = config;
        this.metrics = metrics;
        this.thread = Thread.ofVirtual().name("zstor-repair").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        do {
            try {
                sweep();
            } catch (IOException | RuntimeException e) {
                LOG.atWarn().addKeyValue("error", e.getMessage()).log("event=sweep_failed reason=\"cannot list objects\"");
            }
        } while (!pause(config.sweepInterval()));
    }

    /** One sweep over every object; returns early, with what it saw so far, when the daemon stops. */
    Sweep sweep() throws IOException {
        long started = System.nanoTime();
        sampleBackends();
        long healthy = 0;
        long degraded = 0;
        long lost = 0;
        long errors = 0;
        long rebuiltShards = 0;
        List<ObjectInfo> objects = zstor.list();
        for (ObjectInfo info : objects) {
            if (stop.getCount() == 0) {
                break;
            }
            try {
                CheckReport report = zstor.check(info.key());
                metrics.checked(report.health());
                metrics.bytesScrubbed.add(info.size());
                switch (report.health()) {
                    case HEALTHY -> healthy++;
                    case DEGRADED -> {
                        degraded++;
                        RebuildReport rebuilt = zstor.rebuild(info.key());
                        metrics.rebuilds.increment();
                        metrics.shardsRebuilt.add(rebuilt.rewrittenShards().size());
                        rebuiltShards += rebuilt.rewrittenShards().size();
                        LOG.atInfo().addKeyValue("key", info.key()).addKeyValue("shards", rebuilt.rewrittenShards())
                                .addKeyValue("moved_to", rebuilt.movedTo()).addKeyValue("after", rebuilt.after())
                                .log("event=object_rebuilt");
                    }
                    case LOST -> {
                        lost++;
                        LOG.atError().addKeyValue("key", info.key()).addKeyValue("problems", report.problems())
                                .log("event=object_lost");
                    }
                }
            } catch (IOException | RuntimeException e) {
                errors++;
                metrics.checkErrors.increment();
                LOG.atWarn().addKeyValue("key", info.key()).addKeyValue("error", e.getMessage()).log("event=repair_failed");
            }
            if (pause(throttle(info.size()).plus(config.pauseBetweenObjects()))) {
                break;
            }
        }
        Sweep sweep = new Sweep(healthy, degraded, lost, errors, rebuiltShards);
        if (stop.getCount() > 0) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            metrics.sweeps.increment();
            metrics.lastSweepMillis.set(millis);
            metrics.lastHealthy.set(healthy);
            metrics.lastDegraded.set(degraded);
            metrics.lastLost.set(lost);
            LOG.atInfo().addKeyValue("objects", objects.size()).addKeyValue("healthy", healthy)
                    .addKeyValue("degraded", degraded).addKeyValue("lost", lost).addKeyValue("errors", errors)
                    .addKeyValue("shards_rebuilt", rebuiltShards).addKeyValue("millis", millis).log("event=sweep_done");
        }
        return sweep;
    }

    private void sampleBackends() {
        List<BackendStatus> status = zstor.status();
        metrics.backends.set(status.size());
        metrics.backendsReachable.set(status.stream().filter(BackendStatus::reachable).count());
    }

    /** The pause that keeps the scrub at its budget after checking {@code bytes}. */
    private Duration throttle(long bytes) {
        if (config.bytesPerSecond() == 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (bytes * 1e9 / config.bytesPerSecond()));
    }

    /** Sleeps; true when the loop is stopping. */
    private boolean pause(Duration duration) {
        if (duration.isZero()) {
            return stop.getCount() == 0;
        }
        try {
            return stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Stops after the object in progress (a rebuild finishes: it writes new metadata last, so it is atomic anyway). */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
