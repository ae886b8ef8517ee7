package dev.quilt.bench.zdb;

import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.Store;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.store.StoreListener;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Index memory per live key in user mode: writes N distinct 16-byte keys (1-byte values) into a fresh
 * store and reports the store's own accounting and the heap growth measured after full GCs.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package -pl bench -am
 * java -Xmx8g -cp "bench/target/bench.jar" dev.quilt.bench.zdb.IndexMemoryReport 10000000 /tmp/zdb-mem
 * </pre>
 */
public final class IndexMemoryReport {
    private IndexMemoryReport() { }

    public static void main(String[] args) throws Exception {
        long keys = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("zdb-mem");
        StoreConfig config = new StoreConfig(dir.resolve("data"), dir.resolve("index"), Optional.of(Mode.USER),
                StoreConfig.DEFAULT_DATA_FILE_SIZE, false, Duration.ZERO, 0);
        long before = usedHeapAfterGc();
        try (Store store = Store.open(config, StoreListener.NONE, Runnable::run)) {
            Namespace ns = store.namespace(Store.DEFAULT_NAMESPACE).orElseThrow();
            ByteBuffer key = ByteBuffer.allocate(16);
            byte[] value = {1};
            for (long i = 0; i < keys; i++) {
                key.clear();
                key.putLong(0x5155494c54L).putLong(Long.reverse(i));   // distinct, spread over the hash
                ns.set(key.array().clone(), value, 0);
                if (i % 1_000_000 == 0) {
                    store.flush();
                    System.err.printf(Locale.ROOT, "%,d keys%n", i);
                }
            }
            store.flush();
            long after = usedHeapAfterGc();
            long accounted = ns.stats().indexMemoryBytes();
            System.out.printf(Locale.ROOT, "keys: %,d%n", ns.size());
            System.out.printf(Locale.ROOT, "index memory (store accounting): %,d bytes = %.1f bytes/key (key is 16 bytes)%n",
                    accounted, (double) accounted / keys);
            System.out.printf(Locale.ROOT, "heap growth after GC: %,d bytes = %.1f bytes/key%n",
                    after - before, (double) (after - before) / keys);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
