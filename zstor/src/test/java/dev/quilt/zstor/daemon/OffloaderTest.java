package dev.quilt.zstor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffloaderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final InMemoryZstor zstor = new InMemoryZstor();
    private final DaemonMetrics metrics = new DaemonMetrics();

    private Path data() {
        return dir.resolve("data");
    }

    private DaemonConfig.Offload config(long cap) {
        return new DaemonConfig.Offload(data(), dir.resolve("state"), cap, Duration.ofHours(1), 16);
    }

    private Path dataFile(String namespace, int id, int bytes) throws IOException {
        Path file = data().resolve(namespace).resolve("d" + id);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
        return file;
    }

    @Test
    void storesEveryClosedDataFileAtStartButNeverTheActiveOne() throws Exception {
        dataFile("default", 0, 100);
        dataFile("default", 1, 100);
        dataFile("default", 2, 10);
        dataFile("other", 0, 50);
        try (Offloader offloader = Offloader.start(zstor, config(0), metrics, Clock.systemUTC())) {
            Await.until(() -> zstor.objects.size() == 2, WAIT, () -> "stored: " + zstor.objects.keySet());
            assertThat(zstor.objects).containsOnlyKeys("zdb/default/d0", "zdb/default/d1");
            assertThat(offloader.confirmed(data().resolve("default/d1"))).isPresent();
        }
    }

    @Test
    void confirmedFilesAreNotStoredAgainAfterARestart() throws Exception {
        dataFile("default", 0, 100);
        dataFile("default", 1, 10);
        try (Offloader offloader = Offloader.start(zstor, config(0), metrics, Clock.systemUTC())) {
            Await.until(() -> zstor.stores.get() == 1, WAIT, () -> "stores: " + zstor.stores);
        }
        try (Offloader offloader = Offloader.start(zstor, config(0), metrics, Clock.systemUTC())) {
            assertThat(offloader.queued()).isZero();
        }
        assertThat(zstor.stores.get()).isEqualTo(1);
    }

    @Test
    void aFileChangedAfterItWasStoredIsStoredAgain() throws Exception {
        Path d0 = dataFile("default", 0, 100);
        dataFile("default", 1, 10);
        try (Offloader offloader = Offloader.start(zstor, config(0), metrics, Clock.systemUTC())) {
            Await.until(() -> zstor.stores.get() == 1, WAIT, () -> "stores: " + zstor.stores);
        }
        Files.write(d0, new byte[60]); // compacted by zdb
        try (Offloader offloader = Offloader.start(zstor, config(0), metrics, Clock.systemUTC())) {
            Await.until(() -> zstor.stores.get() == 2, WAIT, () -> "stores: " + zstor.stores);
            assertThat(zstor.objects.get("zdb/default/d0")).hasSize(60);
        }
    }

    @Test
    void aFailedStoreIsRetriedAndNothingIsDeletedBeforeItIsConfirmed() throws Exception {
        dataFile("default", 0, 1000);
        dataFile("default", 1, 1000);
        zstor.failStores = true;
        try (Offloader offloader = Offloader.start(zstor, config(500), metrics, Clock.systemUTC())) {
            Await.until(() -> metrics.offloadFailures.value() >= 2, WAIT, () -> "failures: " + metrics.offloadFailures.value());
            offloader.enforceCap();
            assertThat(data().resolve("default/d0")).exists();
            zstor.failStores = false;
            Await.until(() -> zstor.objects.containsKey("zdb/default/d0"), WAIT, () -> "stored: " + zstor.objects.keySet());
            Await.until(() -> !Files.exists(data().resolve("default/d0")), WAIT, () -> "d0 still present");
            // The active file is never evicted, even over the cap.
            assertThat(data().resolve("default/d1")).exists();
        }
    }

    @Test
    void evictsLeastRecentlyUsedConfirmedFilesUnderTheCap() throws Exception {
        for (int i = 0; i < 5; i++) {
            dataFile("default", i, 1000);
        }
        try (Offloader offloader = Offloader.start(zstor, config(2500), metrics, Clock.systemUTC())) {
            Await.until(() -> zstor.objects.size() == 4, WAIT, () -> "stored: " + zstor.objects.keySet());
            Await.until(() -> remaining().size() == 2, WAIT, () -> "remaining: " + remaining());
            assertThat(remaining()).containsExactly("d3", "d4");
            assertThat(metrics.evicted.value()).isEqualTo(3);
        }
    }

    @Test
    void retrieveWritesTheFileAtomicallyAndConfirmsIt() throws Exception {
        dataFile("default", 0, 10);
        dataFile("default", 1, 10);
        zstor.objects.put("zdb/default/d0", new byte[] {1, 2, 3});
        Files.delete(data().resolve("default/d0"));
        try (Offloader offloader = Offloader.start(zstor, config(0), metrics, Clock.systemUTC())) {
            zstor.failRetrieves = true;
            assertThatThrownBy(() -> offloader.retrieve(data().resolve("default/d0"))).isInstanceOf(IOException.class);
            assertThat(remaining()).containsExactly("d1");
            zstor.failRetrieves = false;
            offloader.retrieve(data().resolve("default/d0"));
            assertThat(Files.readAllBytes(data().resolve("default/d0"))).containsExactly(1, 2, 3);
            assertThat(offloader.confirmed(data().resolve("default/d0"))).isPresent();
            assertThat(zstor.stores.get()).isZero();
        }
    }

    @Test
    void aFileJustBroughtBackIsNotDeletedBeforeZdbCanOpenIt() throws Exception {
        dataFile("default", 1, 10);
        zstor.objects.put("zdb/default/d0", new byte[100]);
        try (Offloader offloader = Offloader.start(zstor, config(1), metrics, Clock.systemUTC())) {
            offloader.retrieve(data().resolve("default/d0"));
            offloader.enforceCap();
            assertThat(remaining()).containsExactly("d0", "d1");
        }
    }

    @Test
    void refusesPathsThatAreNotDataFilesUnderTheDataDirectory() throws Exception {
        try (Offloader offloader = Offloader.start(zstor, config(0), metrics, Clock.systemUTC())) {
            assertThatThrownBy(() -> offloader.retrieve(Path.of("/etc/passwd")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a zdb data file");
            assertThatThrownBy(() -> offloader.offer(data().resolve("default/i3")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private java.util.List<String> remaining() {
        try (Stream<Path> s = Files.list(data().resolve("default"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("d")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
