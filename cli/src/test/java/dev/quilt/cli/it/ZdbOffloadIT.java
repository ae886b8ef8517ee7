package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.Quilt;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.FreePorts;
import dev.quilt.testkit.JavaProcess;
import dev.quilt.testkit.OpenFiles;
import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zdb offload flow end to end, with real parts: six zdb servers as zstor's backends, the daemon in its own
 * JVM ({@code quilt zstor daemon}), and a local zdb with 512 KiB data files whose {@code --hook} is a script that
 * runs {@code quilt zstor hook} in a JVM per event, as a deployment would. Closed data files are stored and
 * deleted under a 2 MiB cap; after a restart, zdb has index files and only some data files, and every old key
 * still reads back right, the missing files fetched through the hook.
 */
class ZdbOffloadIT {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final long CAP_BYTES = 2L << 20;
    private static final int VALUE_BYTES = 64 * 1024;
    private static final int KEYS = 64;

    @TempDir
    Path dir;

    private Path config;
    private int metricsPort;

    @Test
    void dataFilesAreOffloadedUnderTheCapSurviveADaemonCrashAndReadBackTransparently() throws Exception {
        try (ZstorBackends backends = new ZstorBackends(dir, 6)) {
            Path socket = dir.resolve("zstor.sock");
            config = backends.writeConfig(dir.resolve("zstor.toml"), "socket = \"" + socket + "\"",
                    "zdb_data_dir_path = \"" + localData() + "\"", "max_zdb_data_dir_size = 2");
            metricsPort = FreePorts.next();
            Path hook = hookScript();
            List<byte[]> values = values();

            JavaProcess first = startDaemon();
            ZdbServer zdb = startLocalZdb(hook);
            try (ZdbClient client = client(zdb)) {
                for (int i = 0; i < KEYS / 2; i++) {
                    client.set(key(i), values.get(i));
                }
                // A crash in the middle of the work: hooks fail while the daemon is gone, nothing is lost.
                first.kill();
                for (int i = KEYS / 2; i < KEYS; i++) {
                    client.set(key(i), values.get(i));
                }
            }
            // Several data files were written (one index file each), whatever the first daemon did before its crash.
            try (Stream<Path> index = Files.list(dir.resolve("local/index/default"))) {
                assertThat(index.filter(p -> p.getFileName().toString().matches("i\\d+"))).hasSizeGreaterThan(6);
            }

            try (JavaProcess daemon = startDaemon()) {
                // zdb (in this process) keeps running while the daemon deletes under the cap: the space of what
                // is deleted must really be freed, not kept by a descriptor zdb still holds.
                try {
                    Await.until(() -> underCapWithEveryClosedFileConfirmed() && OpenFiles.deletedUnder(localData()).isEmpty(),
                            PATIENCE, () -> "data files " + dataFiles() + ", " + dataBytes() + " bytes; deleted but open "
                                    + OpenFiles.deletedUnder(localData()) + "; metrics:\n" + metrics("zstor_offload"));
                } finally {
                    zdb.close();
                }
                assertThat(dataFiles()).doesNotContain("d0", "d1");

                // zdb starts with index files for every data file and only some data files on disk.
                zdb = startLocalZdb(hook);
                try (ZdbClient client = client(zdb)) {
                    for (int i = 0; i < KEYS; i++) {
                        assertThat(client.get(key(i))).as("key %d", i).isEqualTo(values.get(i));
                    }
                } finally {
                    zdb.close();
                }
                // At least d0 and d1 came back (and may since have been evicted again: the cap still holds).
                assertThat(metric("zstor_offload_retrieved_files_total")).isGreaterThanOrEqualTo(2);
                assertThat(metric("zstor_hook_requests_total{event=\"missing-data\"}")).isGreaterThanOrEqualTo(2);

                daemon.terminate();
                int exit = daemon.awaitExit(PATIENCE);
                assertThat(daemon.output()).as("exit %d", exit).contains("event=daemon_stopped", "zstor daemon stopped");
                assertThat(socket).doesNotExist();
            }
        }
    }

    private Path localData() {
        return dir.resolve("local/data");
    }

    private JavaProcess startDaemon() {
        JavaProcess daemon = JavaProcess.start(Quilt.class, List.of("-v", "zstor", "--config", config.toString(), "daemon",
                "--rescan-interval", "1s", "--metrics", "127.0.0.1:" + metricsPort, "--state", dir.resolve("state").toString()));
        Await.until(() -> daemon.output().contains("zstor daemon running") || !daemon.isAlive(), PATIENCE, daemon::output);
        assertThat(daemon.isAlive()).as(daemon.output()).isTrue();
        return daemon;
    }

    /** The hook zdb runs: {@code quilt zstor hook "$@"} in a new JVM on this test's classpath. */
    private Path hookScript() throws IOException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(JavaProcess.JVM_FLAGS);
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), Quilt.class.getName(),
                "zstor", "--config", config.toString(), "hook"));
        Path hook = dir.resolve("zdb-hook.sh");
        Files.writeString(hook, "#!/bin/sh\nexec " + String.join(" ", java.stream().map(a -> "'" + a + "'").toList())
                + " \"$@\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        return hook;
    }

    private ZdbServer startLocalZdb(Path hook) throws IOException {
        StoreConfig store = new StoreConfig(localData(), dir.resolve("local/index"), Optional.empty(), 512 * 1024, false,
                Duration.ZERO, 0);
        return ZdbServer.start(new ZdbServerConfig(store, Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.empty(), Optional.empty(), false, Optional.of(hook), Optional.empty()));
    }

    private static ZdbClient client(ZdbServer zdb) {
        // Reads may wait for a hook JVM and a retrieval.
        return ZdbClient.builder("127.0.0.1", zdb.address().orElseThrow().getPort()).readTimeout(PATIENCE).build();
    }

    private static byte[] key(int i) {
        return ("block-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> values() {
        Random random = new Random(42);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            byte[] value = new byte[VALUE_BYTES];
            random.nextBytes(value);
            values.add(value);
        }
        return values;
    }

    private boolean underCapWithEveryClosedFileConfirmed() {
        return dataBytes() <= CAP_BYTES && metric("zstor_offload_unconfirmed_files") == 0
                && metric("zstor_offload_evicted_files_total") > 0;
    }

    private List<String> dataFiles() {
        try (Stream<Path> s = Files.list(localData().resolve("default"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("d\\d+")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes in the local data directory; a file the daemon evicts while it is walked counts as gone. */
    private long dataBytes() {
        long[] total = {0};
        try {
            Files.walkFileTree(localData(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return total[0];
    }

    private String metrics(String prefix) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return String.join("\n", body.lines().filter(l -> l.startsWith(prefix)).toList());
        } catch (IOException e) {
            return "unavailable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private long metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)$").matcher(metrics(series));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
