package dev.quilt.bench.zdb;

import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.Store;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.store.StoreListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The storage engine without the network: SET of new keys, and GET of existing ones, in user mode,
 * with the buffered appends handed to the OS every 16 operations as the server does per batch.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package -pl bench -am
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/bench.jar NamespaceBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NamespaceBenchmark {

    @Param({"100", "4096"})
    int valueSize;

    private static final int PRELOADED = 1 << 20;

    private Path dir;
    private Store store;
    private Namespace ns;
    private byte[] value;
    private final ByteBuffer key = ByteBuffer.allocate(16);
    private long next;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("zdb-bench");
        store = Store.open(new StoreConfig(dir.resolve("data"), dir.resolve("index"), Optional.of(Mode.USER),
                StoreConfig.DEFAULT_DATA_FILE_SIZE, false, Duration.ZERO, 0), StoreListener.NONE, Runnable::run);
        ns = store.namespace(Store.DEFAULT_NAMESPACE).orElseThrow();
        value = new byte[valueSize];
        random.nextBytes(value);
        for (next = 0; next < PRELOADED; next++) {
            ns.set(key(next), value, 0);
        }
        store.flush();
    }

    private byte[] key(long i) {
        key.clear();
        key.putLong(0x7a6462L).putLong(i);
        return key.array().clone();
    }

    @Benchmark
    public Object setNewKey() throws IOException {
        Object outcome = ns.set(key(next++), value, 0);
        if ((next & 15) == 0) {
            store.flush();
        }
        return outcome;
    }

    @Benchmark
    public byte[] getExistingKey() throws IOException {
        return ns.get(key(random.nextLong(PRELOADED)));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
