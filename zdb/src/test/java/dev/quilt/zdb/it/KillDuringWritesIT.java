package dev.quilt.zdb.it;

import static dev.quilt.zdb.it.RawConnection.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash test: a zdb child process, with and without {@code --sync}, under concurrent writers is killed with SIGKILL at
 * a random moment, several times over the same directories; after every restart each write that was
 * acknowledged must be there with its value. Small data files make the kills land around rotations too.
 */
class KillDuringWritesIT {

    private static final int ROUNDS = 6;
    private static final int WRITERS = 4;


    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = {true, false})
    void everyAcknowledgedWriteSurvivesKillDashNine(boolean sync, @TempDir Path dir) throws Exception {
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        Path data = dir.resolve("data");
        Path index = dir.resolve("index");
        for (int round = 0; round < ROUNDS; round++) {
            try (ChildZdb zdb = ChildZdb.start(data, index, 512 * 1024, sync)) {
                assertAllPresent(zdb.port(), acknowledged, round);
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String prefix = "r" + round + "w" + w + ":";
                    long seed = random.nextLong();
                    writers.add(Thread.ofVirtual().start(() -> write(zdb.port(), prefix, seed, acknowledged, stop)));
                }
                Thread.sleep(200 + random.nextInt(1500));
                zdb.kill();
                stop.set(true);
                for (Thread t : writers) {
                    t.join();
                }
            }
        }
        try (ChildZdb zdb = ChildZdb.start(data, index, 512 * 1024, sync)) {
            assertAllPresent(zdb.port(), acknowledged, ROUNDS);
        }
        assertThat(acknowledged).as("the writers got acknowledgements at all").hasSizeGreaterThan(ROUNDS * WRITERS);
    }

    /** Writes unique keys until the server dies; records each key once its SET was answered with the key. */
    private static void write(int port, String prefix, long seed, Map<String, byte[]> acknowledged, AtomicBoolean stop) {
        Random random = new Random(seed);
        try (RawConnection c = new RawConnection(port)) {
            for (int i = 0; !stop.get(); i++) {
                String key = prefix + i;
                byte[] value = new byte[1 + random.nextInt(4096)];
                random.nextBytes(value);
                byte[] reply = c.call(bytes("SET"), bytes(key), value);
                assertThat(reply).as("SET %s answers with the key", key).isEqualTo(bytes(key));
                acknowledged.put(key, value);
            }
        } catch (IOException expected) {
            // the server was killed: whatever was not acknowledged may or may not be there
        }
    }

    private static void assertAllPresent(int port, Map<String, byte[]> acknowledged, int round) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
                assertThat(c.call(bytes("GET"), bytes(e.getKey())))
                        .as("acknowledged key %s after restart %d", e.getKey(), round)
                        .isEqualTo(e.getValue());
            }
        }
    }
}
