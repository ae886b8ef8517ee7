package dev.quilt.zdb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/** Jedis, a Java Redis client from Maven Central, driving zdb's own command set. */
class JedisCompatIT {

    @TempDir
    Path dir;
    private ZdbServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private Jedis start(Optional<dev.quilt.zdb.store.Mode> mode) throws IOException {
        StoreConfig store = new StoreConfig(dir.resolve("data"), dir.resolve("index"), mode,
                StoreConfig.MIN_DATA_FILE_SIZE, false, Duration.ZERO, 0);
        server = ZdbServer.start(new ZdbServerConfig(store, Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty()));
        return new Jedis("127.0.0.1", server.address().orElseThrow().getPort());
    }

    private record Cmd(String name) implements ProtocolCommand {
        @Override
        public byte[] getRaw() {
            return name.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static Object call(Jedis j, String name, Object... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i] instanceof byte[] b ? b : args[i].toString().getBytes(StandardCharsets.UTF_8);
        }
        return j.sendCommand(new Cmd(name), raw);
    }

    private static String str(Object o) {
        return o == null ? null : new String((byte[]) o, StandardCharsets.UTF_8);
    }

    @Test
    void scanWalksThousandsOfKeysAcrossSeveralDataFilesExactlyOnce() throws IOException {
        try (Jedis j = start(Optional.empty())) {
            int n = 5000;
            byte[] value = new byte[300];
            for (int i = 0; i < n; i++) {
                call(j, "SET", "k" + i, value);
            }
            for (int i = 0; i < n; i += 7) {
                call(j, "SET", "k" + i, "overwritten-" + i);   // moves k(i) to the end of the order
            }
            for (int i = 3; i < n; i += 11) {
                call(j, "DEL", "k" + i);
            }
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if (i < 3 || (i - 3) % 11 != 0) {
                    expected.add("k" + i);
                }
            }
            assertThat(server).isNotNull();
            assertThat((Long) call(j, "DBSIZE")).isEqualTo(expected.size());
            assertThat(str(call(j, "NSINFO", "default"))).contains("entries: " + expected.size());

            List<String> forward = walk(j, "SCAN");
            assertThat(forward).doesNotHaveDuplicates();
            assertThat(new HashSet<>(forward)).isEqualTo(expected);
            List<String> backward = walk(j, "RSCAN");
            assertThat(backward).isEqualTo(forward.reversed());
            // order of last write: the overwritten keys come last, in the order they were overwritten
            assertThat(forward.getLast()).isEqualTo("k" + ((n - 1) / 7 * 7));
            assertThatThrownBy(() -> call(j, "SCAN", new byte[17])).isInstanceOf(JedisDataException.class)
                    .hasMessage("Invalid key format");
        }
    }

    /** Follows SCAN/RSCAN cursors until -No more data. */
    private static List<String> walk(Jedis j, String command) {
        List<String> keys = new ArrayList<>();
        byte[] cursor = null;
        while (true) {
            Object reply;
            try {
                reply = cursor == null ? call(j, command) : call(j, command, (Object) cursor);
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).isEqualTo("No more data");
                return keys;
            }
            List<?> batch = (List<?>) reply;
            cursor = (byte[]) batch.get(0);
            assertThat(cursor).hasSize(17);
            for (Object entry : (List<?>) batch.get(1)) {
                List<?> e = (List<?>) entry;
                keys.add(str(e.get(0)));
                assertThat(e.get(1)).isInstanceOf(Long.class);
                assertThat(e.get(2)).isInstanceOf(Long.class);
            }
        }
    }

    @Test
    void historyWalksEveryVersionOfAKey() throws IOException {
        try (Jedis j = start(Optional.empty())) {
            for (int v = 1; v <= 5; v++) {
                call(j, "SET", "doc", "version-" + v);
            }
            List<String> versions = new ArrayList<>();
            List<?> step = (List<?>) call(j, "HISTORY", "doc");
            while (true) {
                versions.add(str(step.get(2)));
                assertThat(step.get(1)).as("the timestamp is a bulk string").isInstanceOf(byte[].class);
                if (step.get(0) == null) {
                    break;
                }
                assertThat((byte[]) step.get(0)).hasSize(8);
                step = (List<?>) call(j, "HISTORY", "doc", step.get(0));
            }
            assertThat(versions).containsExactly("version-5", "version-4", "version-3", "version-2", "version-1");
            assertThatThrownBy(() -> call(j, "HISTORY", "doc", new byte[8])).hasMessage("No more history");
            assertThatThrownBy(() -> call(j, "HISTORY", "nothing")).hasMessage("Key not found");
        }
    }

    @Test
    void sequentialModeHandsOutLittleEndianIds() throws IOException {
        try (Jedis j = start(Optional.of(dev.quilt.zdb.store.Mode.SEQ))) {
            List<byte[]> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add((byte[]) call(j, "SET", new byte[0], "value-" + i));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(ByteBuffer.wrap(ids.get(i)).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(i);
                assertThat(str(call(j, "GET", ids.get(i)))).isEqualTo("value-" + i);
            }
            assertThat((byte[]) call(j, "SET", ids.get(1), "updated")).isEqualTo(ids.get(1));
            assertThat(str(call(j, "GET", ids.get(1)))).isEqualTo("updated");
            assertThatThrownBy(() -> call(j, "SET", "unknown", "x")).hasMessage("Invalid key, only update authorized");
        }
    }

    @Test
    void namespaceSettingsAreEnforced() throws IOException {
        try (Jedis j = start(Optional.empty())) {
            assertThat(str(call(j, "NSNEW", "tenant"))).isEqualTo("OK");
            call(j, "NSSET", "tenant", "maxsize", "10");
            call(j, "NSSET", "tenant", "worm", "1");
            call(j, "SELECT", "tenant");
            assertThat(str(call(j, "SET", "a", "12345"))).isEqualTo("a");
            assertThatThrownBy(() -> call(j, "SET", "a", "other")).hasMessage("Namespace is protected by worm mode");
            assertThatThrownBy(() -> call(j, "DEL", "a")).hasMessage("Cannot delete a key when namespace is in worm mode");
            assertThatThrownBy(() -> call(j, "SET", "b", "123456")).hasMessage("No space left on this namespace");
            call(j, "NSSET", "tenant", "lock", "1");
            assertThatThrownBy(() -> call(j, "SET", "c", "1")).hasMessage("Namespace is temporarily locked (read-only)");
            assertThat(str(call(j, "GET", "a"))).isEqualTo("12345");
            call(j, "NSSET", "tenant", "freeze", "1");
            assertThatThrownBy(() -> call(j, "GET", "a")).hasMessage("Namespace is temporarily frozen (read-write disabled)");
            call(j, "NSSET", "tenant", "freeze", "0");
            assertThat(str(call(j, "GET", "a"))).isEqualTo("12345");
        }
    }
}
