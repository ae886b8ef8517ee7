package dev.quilt.zstor.daemon;

import dev.quilt.common.metrics.MetricsHttpServer;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zstor daemon: the repair loop, the offload of a local zdb's data files (when the config names a data
 * directory), the control socket zdb's hook and the command line ({@link DaemonClient}) talk to,
 * {@code /metrics}, and the pid file.
 *
 * <pre>{@code
 * try (ZstorDaemon daemon = ZstorDaemon.start(zstor, config)) {
 *     daemon.awaitClose();     // until close() from a shutdown hook (SIGTERM)
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops in the order that loses nothing: the control socket first (no new work; a hook
 * waiting on it fails and zdb answers that read with an error), then the offloader (an upload in progress gets
 * a grace period, else it is parked: the file is unconfirmed and redone at the next start), then the repair loop
 * (after the object in progress), then metrics, then the pid file. The {@link Zstor} is the caller's to close;
 * pass a {@link ReloadableZstor} to reload the config while the daemon runs ({@link ConfigReloader}).
 */
public final class ZstorDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZstorDaemon.class);

    private final Optional<ControlSocketServer> control;
    private final Optional<Offloader> offloader;
    private final RepairLoop repair;
    private final Optional<MetricsHttpServer> metricsServer;
    private final Optional<PidFile> pidFile;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ZstorDaemon(Optional<ControlSocketServer> control, Optional<Offloader> offloader, RepairLoop repair,
            Optional<MetricsHttpServer> metricsServer, Optional<PidFile> pidFile) {
        this.control = control;
        this.offloader = offloader;
        this.repair = repair;
        this.metricsServer = metricsServer;
        this.pidFile = pidFile;
    }

    /** Starts every part the config asks for; on failure, stops what already started. */
    public static ZstorDaemon start(Zstor zstor, DaemonConfig config) throws IOException {
        DaemonMetrics metrics = new DaemonMetrics();
        Offloader offloader = null;
        ControlSocketServer control = null;
        MetricsHttpServer metricsServer = null;
        PidFile pidFile = null;
        try {
            if (config.pidFile().isPresent()) {
                pidFile = PidFile.create(config.pidFile().get());
            }
            if (config.offload().isPresent()) {
                offloader = Offloader.start(zstor, config.offload().get(), metrics, Clock.systemUTC());
            }
            if (config.metrics().isPresent()) {
                metricsServer = MetricsHttpServer.start(config.metrics().get(), metrics.registry);
            }
            if (config.socket().isPresent()) {
                control = ControlSocketServer.start(config.socket().get(),
                        new ControlRequests(zstor, new HookEvents(Optional.ofNullable(offloader), metrics)));
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(control, e);
            closeQuietly(offloader, e);
            closeQuietly(pidFile, e);
            if (metricsServer != null) {
                metricsServer.close();
            }
            throw e;
        }
        RepairLoop repair = new RepairLoop(zstor, config.repair(), metrics);
        repair.start();
        LOG.atInfo().addKeyValue("socket", config.socket().map(Path::toString).orElse("none"))
                .addKeyValue("metrics", metricsServer == null ? "none" : metricsServer.address())
                .addKeyValue("offload", config.offload().map(o -> o.dataDir().toString()).orElse("none"))
                .addKeyValue("pid_file", config.pidFile().map(Path::toString).orElse("none"))
                .log("event=daemon_started");
        return new ZstorDaemon(Optional.ofNullable(control), Optional.ofNullable(offloader), repair,
                Optional.ofNullable(metricsServer), Optional.ofNullable(pidFile));
    }

    /** Where {@code /metrics} is served, once bound. */
    public Optional<InetSocketAddress> metricsAddress() {
        return metricsServer.map(MetricsHttpServer::address);
    }

    /** The control socket's path. */
    public Optional<Path> socket() {
        return control.map(ControlSocketServer::path);
    }

    /** Blocks until {@link #close()} returned. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() throws IOException {
        if (closed.getCount() == 0) {
            return;
        }
        IOException failure = null;
        try {
            if (control.isPresent()) {
                control.get().close();
            }
        } catch (IOException e) {
            failure = e;
        }
        try {
            if (offloader.isPresent()) {
                offloader.get().close();
            }
        } catch (IOException e) {
            failure = failure == null ? e : addSuppressed(failure, e);
        }
        repair.close();
        metricsServer.ifPresent(MetricsHttpServer::close);
        try {
            if (pidFile.isPresent()) {
                pidFile.get().close();
            }
        } catch (IOException e) {
            failure = failure == null ? e : addSuppressed(failure, e);
        }
        LOG.atInfo().log("event=daemon_stopped");
        closed.countDown();
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException addSuppressed(IOException first, IOException next) {
        first.addSuppressed(next);
        return first;
    }

    private static void closeQuietly(AutoCloseable part, Exception failure) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
