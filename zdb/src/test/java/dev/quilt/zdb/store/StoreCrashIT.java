package dev.quilt.zdb.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a writing child JVM with {@code kill -9} at a random point, several times over the same
 * directories, and checks that every acknowledged write (flushed before the acknowledgement) survives.
 */
class StoreCrashIT {
    @TempDir
    Path dir;

    static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(int i) {
        byte[] v = new byte[(i * 37) % 3000];
        new Random(i).nextBytes(v);
        return v;
    }

    @Test
    void acknowledgedWritesSurviveKillMinus9() throws Exception {
        Random rnd = new Random(42);
        int next = 0;
        for (int round = 0; round < 4; round++) {
            int target = next + 200 + rnd.nextInt(1500);
            int lastAck = runAndKill(next, target);
            assertThat(lastAck).isGreaterThanOrEqualTo(target);
            try (Store store = Store.open(StoreFixture.config(dir, Optional.empty(), StoreFixture.SMALL_FILES),
                    StoreListener.NONE, Runnable::run)) {
                FileNamespace ns = StoreFixture.ns(store, Store.DEFAULT_NAMESPACE);
                for (int i = 0; i <= lastAck; i++) {
                    if (i == lastAck && (i + 1) % 3 == 0) {
                        // The unacknowledged next iteration may or may not have deleted it.
                        continue;
                    }
                    boolean deleted = (i + 1) % 3 == 0 && i + 1 <= lastAck;
                    if (deleted) {
                        assertThat(ns.get(key(i))).as("key %d (deleted)", i).isNull();
                    } else {
                        assertThat(ns.get(key(i))).as("key %d of %d", i, lastAck).isEqualTo(value(i));
                    }
                }
                ns.checkInvariants();
            }
            next = lastAck + 1;
        }
    }

    private int runAndKill(int start, int target) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Integer.toString(start))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int lastAck = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                    if (lastAck >= target) {
                        break;
                    }
                }
            }
            p.destroyForcibly();
            p.waitFor();
        }
        return lastAck;
    }
}
