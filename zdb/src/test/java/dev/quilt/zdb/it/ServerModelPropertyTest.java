package dev.quilt.zdb.it;

import static dev.quilt.zdb.it.RawConnection.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random command sequences sent over a real socket to a real server, compared step by step with a
 * {@link TreeMap} model: SET's reply (key, or nil for an identical value), GET, EXISTS, DEL, DBSIZE,
 * NSJUMP rotations in between. Each try runs in a fresh namespace.
 */
class ServerModelPropertyTest {

    private static ZdbServer server;
    private static Path dir;
    private static final AtomicInteger TRY = new AtomicInteger();

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("zdb-model");
        StoreConfig store = new StoreConfig(dir.resolve("data"), dir.resolve("index"), Optional.empty(),
                StoreConfig.MIN_DATA_FILE_SIZE, false, Duration.ZERO, 0);
        server = ZdbServer.start(new ZdbServerConfig(store, Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty()));
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    sealed interface Op permits Set, Get, Del, Exists, DbSize, Jump { }

    record Set(String key, byte[] value) implements Op {
        @Override
        public String toString() {
            return "SET " + key + " (" + value.length + " bytes)";
        }
    }

    record Get(String key) implements Op { }

    record Del(String key) implements Op { }

    record Exists(String key) implements Op { }

    record DbSize() implements Op { }

    record Jump() implements Op { }

    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<String> keys = Arbitraries.of("a", "b", "c", "d", "key-e", "\u00e9t\u00e9", "k\u0000z").injectDuplicates(0.3);
        Arbitrary<byte[]> values = Arbitraries.oneOf(
                Arbitraries.of(new byte[0], bytes("x"), bytes("same")),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000));
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Combinators.combine(keys, values).as(Set::new)),
                net.jqwik.api.Tuple.of(4, keys.map(Get::new)),
                net.jqwik.api.Tuple.of(2, keys.map(Del::new)),
                net.jqwik.api.Tuple.of(2, keys.map(Exists::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new DbSize())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Jump())));
        return op.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 200)
    void serverAgreesWithAMapModel(@ForAll("sequences") List<Op> ops) throws IOException {
        Map<String, byte[]> model = new HashMap<>();
        try (RawConnection c = new RawConnection(server.address().orElseThrow().getPort())) {
            String ns = "model" + TRY.incrementAndGet();
            assertThat(new String(c.call(bytes("NSNEW"), bytes(ns)), StandardCharsets.UTF_8)).isEqualTo("+OK");
            assertThat(new String(c.call(bytes("SELECT"), bytes(ns)), StandardCharsets.UTF_8)).isEqualTo("+OK");
            for (Op op : ops) {
                apply(c, model, op);
            }
            c.call(bytes("SELECT"), bytes("default"));
            c.call(bytes("NSDEL"), bytes(ns));
        }
    }

    private static void apply(RawConnection c, Map<String, byte[]> model, Op op) throws IOException {
        switch (op) {
            case Set s -> {
                byte[] old = model.get(s.key());
                byte[] reply = c.call(bytes("SET"), bytes(s.key()), s.value());
                if (old != null && Arrays.equals(old, s.value())) {
                    assertThat(reply).as("%s of an identical value answers nil", s).isNull();
                } else {
                    assertThat(reply).as("%s answers the key", s).isEqualTo(bytes(s.key()));
                }
                model.put(s.key(), s.value());
            }
            case Get g -> assertThat(c.call(bytes("GET"), bytes(g.key()))).as("%s", g).isEqualTo(model.get(g.key()));
            case Del d -> assertThat(text(c.call(bytes("DEL"), bytes(d.key()))))
                    .as("%s", d).isEqualTo(model.remove(d.key()) != null ? "+OK" : "-Key not found");
            case Exists e -> assertThat(text(c.call(bytes("EXISTS"), bytes(e.key()))))
                    .as("%s", e).isEqualTo(model.containsKey(e.key()) ? ":1" : ":0");
            case DbSize d -> assertThat(text(c.call(bytes("DBSIZE")))).isEqualTo(":" + model.size());
            case Jump j -> assertThat(text(c.call(bytes("NSJUMP")))).isEqualTo("+OK");
        }
    }

    private static String text(byte[] reply) {
        return reply == null ? null : new String(reply, StandardCharsets.UTF_8);
    }
}
