package dev.quilt.zstor.daemon;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the daemon runs.
 *
 * @param socket the control socket (a UNIX domain socket) the hook talks to; empty for none
 * @param metrics where to serve {@code /metrics}; empty for none
 * @param offload the zdb data directory to offload, with its size cap; empty when the daemon only repairs
 * @param repair the repair loop's pace
 * @param pidFile where the daemon writes its process id while it runs; empty for none
 */
public record DaemonConfig(Optional<Path> socket, Optional<InetSocketAddress> metrics, Optional<Offload> offload,
        Repair repair, Optional<Path> pidFile) {

    public DaemonConfig {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(offload, "offload");
        Objects.requireNonNull(repair, "repair");
        Objects.requireNonNull(pidFile, "pidFile");
    }

    /** A daemon without a pid file. */
    public DaemonConfig(Optional<Path> socket, Optional<InetSocketAddress> metrics, Optional<Offload> offload,
            Repair repair) {
        this(socket, metrics, offload, repair, Optional.empty());
    }

    /**
     * The offload of a local zdb's data files.
     *
     * @param dataDir zdb's data root ({@code zdb_data_dir_path}): one directory per namespace, files {@code d<N>}
     * @param stateDir where the manifest of confirmed files lives; outside {@code dataDir}
     * @param maxDataDirBytes evict confirmed files beyond this many bytes in {@code dataDir}; 0 for no cap
     * @param rescanInterval how often the data directory is rescanned for closed files not yet stored
     * @param queueCapacity files waiting to be stored beyond which new ones are left to the next rescan
     */
    public record Offload(Path dataDir, Path stateDir, long maxDataDirBytes, Duration rescanInterval, int queueCapacity) {
        public Offload {
            if (maxDataDirBytes < 0) {
                throw new IllegalArgumentException("maxDataDirBytes < 0: " + maxDataDirBytes);
            }
            if (rescanInterval.isNegative() || rescanInterval.isZero()) {
                throw new IllegalArgumentException("rescanInterval: " + rescanInterval + " (expected: > 0)");
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 1)");
            }
            Path data = dataDir.toAbsolutePath().normalize();
            if (stateDir.toAbsolutePath().normalize().startsWith(data)) {
                throw new IllegalArgumentException("state directory " + stateDir + " is inside the zdb data directory "
                        + dataDir + " (expected: outside it, where zdb never looks)");
            }
        }
    }

    /**
     * The repair loop's pace.
     *
     * @param bytesPerSecond scrub budget: object bytes checked per second, on average; 0 for no limit
     * @param pauseBetweenObjects a pause after each object, on top of the budget
     * @param sweepInterval time from the end of one sweep to the start of the next
     */
    public record Repair(long bytesPerSecond, Duration pauseBetweenObjects, Duration sweepInterval) {
        public Repair {
            if (bytesPerSecond < 0) {
                throw new IllegalArgumentException("bytesPerSecond < 0: " + bytesPerSecond);
            }
            if (pauseBetweenObjects.isNegative()) {
                throw new IllegalArgumentException("pauseBetweenObjects < 0: " + pauseBetweenObjects);
            }
            if (sweepInterval.isNegative()) {
                throw new IllegalArgumentException("sweepInterval < 0: " + sweepInterval);
            }
        }
    }
}
