package dev.quilt.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The tree against a byte array: random writes, truncates, flushes to zstor, seals and reopens of the local
 * state (what a remount after a crash does) on one file whose snapshot base has data and holes, with a
 * cache of three chunks so chunks are evicted and fetched back; after every step the whole file must read
 * as the model.
 */
class FsTreeModelPropertyTest {
    private static final int CHUNK = 4096;

    sealed interface Op permits Write, Truncate, Flush, Reopen, Seal {
    }

    record Write(long offset, int length, long seed) implements Op {
    }

    record Truncate(long size) implements Op {
    }

    record Flush() implements Op {
    }

    record Reopen() implements Op {
    }

    record Seal() implements Op {
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Op> write = Combinators.combine(Arbitraries.longs().between(0, 12L * CHUNK),
                Arbitraries.integers().between(1, 3 * CHUNK), Arbitraries.longs()).as(Write::new);
        Arbitrary<Op> truncate = Arbitraries.longs().between(0, 12L * CHUNK).map(Truncate::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, write), net.jqwik.api.Tuple.of(2, truncate),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Flush())), net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Seal())));
    }

    @Property(tries = 60)
    void theFileAlwaysReadsAsTheModel(@ForAll @Size(max = 25) List<@net.jqwik.api.From("ops") Op> ops,
            @ForAll long baseSeed) throws Exception {
        Path dir = Files.createTempDirectory("fs-model");
        try (InMemoryZstor zstor = new InMemoryZstor()) {
            byte[] model = base(baseSeed);
            Path src = Files.createDirectories(dir.resolve("src"));
            Files.write(src.resolve("f"), model);
            var snapshot = new Snapshotter(new ChunkStore(zstor), CHUNK).create(src, OptionalLong.empty(), n -> { }).hash();
            FsMount.Options options = new FsMount.Options(dir.resolve("cache"), 3L * CHUNK, Duration.ofSeconds(10), 2,
                    Duration.ofHours(1));
            FsMount mount = FsMount.open(zstor, snapshot, options, "memory");
            try {
                for (Op op : ops) {
                    switch (op) {
                        case Write w -> {
                            byte[] data = new byte[w.length()];
                            new Random(w.seed()).nextBytes(data);
                            mount.tree().write("/f", w.offset(), ByteBuffer.wrap(data));
                            if (w.offset() + data.length > model.length) {
                                model = Arrays.copyOf(model, (int) (w.offset() + data.length));
                            }
                            System.arraycopy(data, 0, model, (int) w.offset(), data.length);
                        }
                        case Truncate t -> {
                            mount.tree().truncate("/f", t.size());
                            model = Arrays.copyOf(model, (int) t.size());
                        }
                        case Flush f -> mount.flushAll();
                        case Seal s -> {
                            Manifest sealed = new ChunkStore(zstor).getManifest(mount.seal(OptionalLong.empty()));
                            assertThat(sealed.entries().get(1).size()).isEqualTo(model.length);
                        }
                        case Reopen r -> {
                            mount.close();
                            mount = FsMount.open(zstor, snapshot, options, "memory");
                        }
                    }
                    ByteBuffer all = ByteBuffer.allocate(model.length + 100);
                    int n = mount.tree().read("/f", 0, all);
                    assertThat(n).as("after " + op).isEqualTo(model.length);
                    assertThat(Arrays.copyOf(all.array(), n)).as("after " + op).isEqualTo(model);
                    assertThat(mount.tree().getattr("/f").size()).isEqualTo(model.length);
                }
            } finally {
                mount.close();
            }
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Five chunks of data with a hole (chunk 2) and a short tail. */
    private static byte[] base(long seed) {
        byte[] b = new byte[5 * CHUNK - 100];
        new Random(seed).nextBytes(b);
        Arrays.fill(b, 2 * CHUNK, 3 * CHUNK, (byte) 0);
        return b;
    }
}
