package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a serving process never loses a write whose reply reached the client. */
class ServerCrashIT {

    @TempDir
    Path dir;

    private static Process spawn(Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static int port(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("port=")) {
                return Integer.parseInt(line.substring(5));
            }
        }
        throw new AssertionError("server process exited before listening: " + process.waitFor());
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNineMidStream() throws Exception {
        Random random = new Random(7);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        Process process = spawn(dir);
        int port = port(process);
        int killAfter = 200 + random.nextInt(800);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
                for (int i = 0; ; i++) {
                    String key = "key" + i;
                    // Pipelined pairs, so acknowledgements also come from coalesced batches.
                    c.send("SET", key, "value" + i);
                    c.send("SET", key + "b", "value" + i);
                    if (!c.reply().equals("$" + key.length() + "\r\n" + key + "\r\n")) {
                        return;
                    }
                    acknowledged.add(key);
                    if (!c.reply().equals("$" + (key.length() + 1) + "\r\n" + key + "b\r\n")) {
                        return;
                    }
                    acknowledged.add(key + "b");
                }
            } catch (Exception expectedOnceKilled) {
                // the server died under the writer
            }
        });
        try {
            Poll.until(acknowledged::size, n -> n >= killAfter, killAfter + " acknowledged writes");
        } finally {
            process.destroyForcibly().waitFor();
            writer.join();
        }
        List<String> survivors;
        synchronized (acknowledged) {
            survivors = new ArrayList<>(acknowledged);
        }
        try (ServerFixture zdb = new ServerFixture(dir).start()) {
            RawClient c = zdb.client();
            for (String key : survivors) {
                String index = key.endsWith("b") ? key.substring(3, key.length() - 1) : key.substring(3);
                String value = "value" + index;
                assertThat(c.call("GET", key)).as(key).isEqualTo("$" + value.length() + "\r\n" + value + "\r\n");
            }
            c.send("DBSIZE");
            long size = ((dev.quilt.zdb.resp.RespValue.Integer) c.value()).value();
            assertThat(size).isGreaterThanOrEqualTo(survivors.size()).isLessThanOrEqualTo(survivors.size() + 2);
        }
    }
}
