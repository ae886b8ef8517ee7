package dev.quilt.bench.zstor;

import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.client.ZdbException;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-process zstor benchmark against plain zdb SETs and GETs over the same six zdb servers
 * (separate processes, started by {@code bench/scripts/zstor-e2e.sh}):
 *
 * <ul>
 *   <li>plain SET: the bytes a store of the object writes (n/k times its size), as values of the size
 *       of one shard, with as many SETs in flight as zstor keeps (stripes in flight x n), round-robin
 *       over the six servers;
 *   <li>zstor store of an incompressible object, k = 4, m = 2, default stripe size;
 *   <li>zstor retrieve of it (all backends healthy);
 *   <li>plain GET: the data-shard bytes a retrieve reads (the object's size, padded), as GETs of one
 *       shard each, with as many in flight as zstor reads (read-ahead stripes x k).
 * </ul>
 *
 * Ratios are plain time / zstor time for the same bytes: 1.0 means zstor costs nothing on top of the
 * network and zdb.
 *
 * <pre>
 * bench/scripts/zstor-e2e.sh -s 512 -r 3
 * java --add-modules jdk.incubator.vector -cp bench/target/bench.jar dev.quilt.bench.zstor.ZstorEndToEnd \
 *     512 3 PORT1 PORT2 PORT3 PORT4 PORT5 PORT6
 * </pre>
 */
public final class ZstorEndToEnd {

    private static final int K = 4;
    private static final int N = 6;
    /** zstor's defaults: 3 stripes in flight on store, 3 read ahead on retrieve. */
    private static final int STRIPES_IN_FLIGHT = 3;
    private static final int READ_AHEAD = 3;
    private static final String KEY = "4d5b8f2e0a1c3e5f7a9b1d3f5e7c9a0b2d4f6e8a0c2e4a6c8e0a2c4e6a8c0e2a";

    private ZstorEndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 + N) {
            System.err.println("usage: ZstorEndToEnd SIZE_MIB ROUNDS PORT1 .. PORT6");
            System.exit(2);
        }
        long size = Long.parseLong(args[0]) << 20;
        int rounds = Integer.parseInt(args[1]);
        int[] ports = new int[N];
        for (int i = 0; i < N; i++) {
            ports[i] = Integer.parseInt(args[2 + i]);
        }
        List<ZdbClient> clients = new ArrayList<>();
        for (int port : ports) {
            clients.add(ZdbClient.builder("127.0.0.1", port).maxConnections(16).build());
        }
        for (int i = 0; i < 3; i++) {
            try {
                clients.get(i).nsnew("meta");
            } catch (ZdbException e) {
                // Already there from an earlier run on the same directories.
            }
        }
        ZstorConfig config = ZstorConfig.parse(config(ports));
        int stripe = config.stripeSize();
        int shard = (stripe + 16 + K - 1) / K;
        long stripes = (size + stripe - 1) / stripe;
        System.out.printf(Locale.ROOT, "object %d MiB, k=%d m=%d, stripe %d bytes, shard %d bytes, %d stripes%n",
                size >> 20, K, N - K, stripe, shard, stripes);

        try (Zstor zstor = Zstor.open(config); ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            // Warm-up: the JIT compiles the paths a long-running daemon would run compiled (AES-GCM's
            // and SHA-256's intrinsics need on the order of a thousand calls each).
            zstor.store("warm-up", new RandomStream(1, 256L << 20), done -> { });
            zstor.retrieve("warm-up", OutputStream.nullOutputStream(), done -> { });
            zstor.delete("warm-up");
            plainSets(clients, executor, 256, shard, 99);

            for (int round = 1; round <= rounds; round++) {
                double set = plainSets(clients, executor, stripes * N, shard, round);
                String key = "object-" + round;
                long t0 = System.nanoTime();
                zstor.store(key, new RandomStream(round, size), done -> { });
                double store = seconds(t0);
                t0 = System.nanoTime();
                zstor.retrieve(key, OutputStream.nullOutputStream(), done -> { });
                double retrieve = seconds(t0);
                double get = plainGets(clients, executor, stripes, shard, round);
                zstor.delete(key);
                double mib = size / (double) (1 << 20);
                System.out.printf(Locale.ROOT,
                        "round %d: plain SET %.1f s (%.0f MiB/s of shards), zstor store %.1f s (%.0f MiB/s of object),"
                                + " ratio %.2f | plain GET %.1f s, zstor retrieve %.1f s (%.0f MiB/s), ratio %.2f%n",
                        round, set, mib * N / K / set, store, mib / store, set / store, get, retrieve, mib / retrieve,
                        get / retrieve);
            }
        } finally {
            for (ZdbClient c : clients) {
                c.close();
            }
        }
    }

    /** {@code count} SETs of {@code valueSize} random bytes, STRIPES_IN_FLIGHT x N at a time, round-robin. */
    private static double plainSets(List<ZdbClient> clients, ExecutorService executor, long count, int valueSize,
            int round) throws Exception {
        byte[][] values = new byte[STRIPES_IN_FLIGHT * N][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[valueSize];
            new SplittableRandom(round * 1000L + i).nextBytes(values[i]);
        }
        return run(executor, count, STRIPES_IN_FLIGHT * N, i -> {
            ZdbClient client = clients.get((int) (i % N));
            client.set(key(round, i), values[(int) (i % values.length)]);
        });
    }

    /** The data shards a retrieve reads: K GETs per stripe, READ_AHEAD x K at a time. */
    private static double plainGets(List<ZdbClient> clients, ExecutorService executor, long stripes, int valueSize,
            int round) throws Exception {
        AtomicLong bytes = new AtomicLong();
        double seconds = run(executor, stripes * K, READ_AHEAD * K, i -> {
            // The SET pass wrote key i on server i % N; read the keys of data shards only.
            long stripe = i / K;
            long index = stripe * N + i % K;
            byte[] value = clients.get((int) (index % N)).get(key(round, index));
            bytes.addAndGet(value == null ? 0 : value.length);
        });
        if (bytes.get() != stripes * K * (long) valueSize) {
            throw new IllegalStateException("plain GET read " + bytes.get() + " bytes (expected: "
                    + stripes * K * (long) valueSize + ")");
        }
        return seconds;
    }

    @FunctionalInterface
    private interface Op {
        void run(long i) throws Exception;
    }

    private static double run(ExecutorService executor, long count, int concurrency, Op op) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (long i = 0; i < count; i++) {
            slots.acquire();
            long n = i;
            futures.add(executor.submit(() -> {
                try {
                    op.run(n);
                } finally {
                    slots.release();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return seconds(t0);
    }

    private static byte[] key(int round, long i) {
        return ByteBuffer.allocate(16).putLong(0x706c61696eL).putInt(round).putInt((int) i).array();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String config(int[] ports) {
        StringBuilder toml = new StringBuilder("minimal_shards = " + K + "\nexpected_shards = " + N
                + "\nredundant_groups = 1\n[encryption]\nkey = \"" + KEY + "\"\n[meta]\ntype = \"zdb\"\n"
                + "[meta.config]\nprefix = \"bench\"\n");
        for (int i = 0; i < 3; i++) {
            toml.append("[[meta.config.backends]]\naddress = \"127.0.0.1:").append(ports[i])
                    .append("\"\nnamespace = \"meta\"\n");
        }
        for (int g = 0; g < 3; g++) {
            toml.append("[[groups]]\n");
            for (int i = 2 * g; i < 2 * g + 2; i++) {
                toml.append("[[groups.backends]]\naddress = \"127.0.0.1:").append(ports[i]).append("\"\n");
            }
        }
        return toml.toString();
    }

    /** {@code length} incompressible bytes from a seed, generated as they are read. */
    private static final class RandomStream extends InputStream {
        private final SplittableRandom random;
        private long remaining;

        RandomStream(long seed, long length) {
            this.random = new SplittableRandom(seed);
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8; j++) {
                    b[off + i + j] = (byte) (v >>> (8 * j));
                }
            }
            for (; i < n; i++) {
                b[off + i] = (byte) random.nextInt();
            }
            remaining -= n;
            return n;
        }
    }
}
