package dev.quilt.zstor.daemon;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.CheckReport;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.RebuildReport;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.ZstorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * A test double of {@link Zstor} for the daemon's own logic (queueing, manifest, eviction, repair decisions):
 * objects in a map, health set by the test, failures switched on by the test. The flow itself is proven
 * against the real store and real zdb servers in the ITs.
 */
class InMemoryZstor implements Zstor {
    final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    final Map<String, CheckReport.Health> health = new TreeMap<>();
    final AtomicInteger stores = new AtomicInteger();
    final AtomicInteger retrieves = new AtomicInteger();
    final AtomicInteger rebuilds = new AtomicInteger();
    volatile boolean failStores;
    volatile boolean failRetrieves;
    volatile boolean closed;

    @Override
    public ObjectInfo store(String key, InputStream in, LongConsumer progress) throws IOException {
        if (failStores) {
            throw new ZstorException("backends unreachable (test)");
        }
        byte[] bytes = in.readAllBytes();
        progress.accept(bytes.length);
        objects.put(key, bytes);
        stores.incrementAndGet();
        return info(key, bytes);
    }

    @Override
    public ObjectInfo retrieve(String key, OutputStream out, LongConsumer progress) throws IOException {
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            throw new ObjectNotFoundException(key);
        }
        if (failRetrieves) {
            out.write(bytes, 0, bytes.length / 2);
            throw new ZstorException("stripe 0 has fewer than k good shards (test)");
        }
        out.write(bytes);
        progress.accept(bytes.length);
        retrieves.incrementAndGet();
        return info(key, bytes);
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            throw new ObjectNotFoundException(key);
        }
        return info(key, bytes);
    }

    @Override
    public synchronized CheckReport check(String key) throws IOException {
        stat(key);
        CheckReport.Health h = health.getOrDefault(key, CheckReport.Health.HEALTHY);
        List<CheckReport.ShardProblem> problems = h == CheckReport.Health.HEALTHY ? List.of()
                : List.of(new CheckReport.ShardProblem(1, "127.0.0.1:1/data", CheckReport.ShardProblem.Kind.MISSING, 1));
        return new CheckReport(key, h, problems);
    }

    @Override
    public synchronized RebuildReport rebuild(String key) throws IOException {
        stat(key);
        rebuilds.incrementAndGet();
        CheckReport.Health h = health.getOrDefault(key, CheckReport.Health.HEALTHY);
        if (h == CheckReport.Health.DEGRADED) {
            health.put(key, CheckReport.Health.HEALTHY);
            return new RebuildReport(key, List.of(1), List.of("127.0.0.1:2/data"), CheckReport.Health.HEALTHY);
        }
        return new RebuildReport(key, List.of(), List.of(), h);
    }

    @Override
    public List<ObjectInfo> list() {
        List<ObjectInfo> out = new ArrayList<>();
        objects.forEach((k, v) -> out.add(info(k, v)));
        return out;
    }

    @Override
    public boolean delete(String key) {
        return objects.remove(key) != null;
    }

    @Override
    public List<BackendStatus> status() {
        return List.of(
                new BackendStatus("127.0.0.1:1/data", BackendStatus.Role.DATA, true, OptionalLong.empty(),
                        OptionalLong.of(0), OptionalLong.of(0), Optional.empty()),
                new BackendStatus("127.0.0.1:2/meta", BackendStatus.Role.META, false, OptionalLong.empty(),
                        OptionalLong.empty(), OptionalLong.empty(), Optional.of("connection refused")));
    }

    @Override
    public void close() {
        closed = true;
    }

    private static ObjectInfo info(String key, byte[] bytes) {
        return new ObjectInfo(key, bytes.length, 4, 2, 1, HexFormat.of().formatHex(new byte[32]), Set.of());
    }
}
