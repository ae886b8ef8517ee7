package dev.quilt.zstor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.testkit.Await;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config reload swaps the store under running calls; a config that does not load is refused. */
class ConfigReloaderTest {
    @TempDir
    Path dir;

    static final String KEY = "4d5b8f2e0a1c3e5f7a9b1d3f5e7c9a0b2d4f6e8a0c2e4a6c8e0a2c4e6a8c0e2a";

    /** A config with {@code groups} groups of three data backends (nothing is contacted: the opener is a double). */
    static String config(int groups) {
        StringBuilder toml = new StringBuilder("minimal_shards = 2\nexpected_shards = 3\n[encryption]\nkey = \"")
                .append(KEY).append("\"\n[meta]\ntype = \"zdb\"\n[meta.config]\nprefix = \"t\"\n");
        for (int i = 1; i <= 3; i++) {
            toml.append("[[meta.config.backends]]\naddress = \"127.0.0.1:").append(100 + i).append("\"\n");
        }
        for (int g = 0; g < groups; g++) {
            toml.append("[[groups]]\n");
            for (int i = 1; i <= 3; i++) {
                toml.append("[[groups.backends]]\naddress = \"127.0.0.1:").append(1000 + 10 * g + i).append("\"\n");
            }
        }
        return toml.toString();
    }

    @Test
    void aReloadPicksUpNewGroupsAndARefusedOneKeepsTheOld() throws Exception {
        Path file = Files.writeString(dir.resolve("zstor.toml"), config(1));
        List<ZstorConfig> opened = new CopyOnWriteArrayList<>();
        List<InMemoryZstor> stores = new CopyOnWriteArrayList<>();
        InMemoryZstor first = new InMemoryZstor();
        ReloadableZstor zstor = new ReloadableZstor(first);
        ConfigReloader reloader = new ConfigReloader(file, config -> {
            opened.add(config);
            InMemoryZstor next = new InMemoryZstor();
            stores.add(next);
            return next;
        }, zstor);

        Files.writeString(file, config(2));
        assertThat(reloader.reload()).isTrue();
        assertThat(opened).singleElement().satisfies(c -> assertThat(c.groups()).hasSize(2));
        assertThat(first.closed).as("the old store is closed once idle").isTrue();
        zstor.store("k", new ByteArrayInputStream(new byte[] {7}), n -> { });
        assertThat(stores.getFirst().objects).containsKey("k");

        Files.writeString(file, config(2).replace("expected_shards = 3", "expected_shards = 9"));
        assertThat(reloader.reload()).isFalse();
        Files.writeString(file, "not toml [");
        assertThat(reloader.reload()).isFalse();
        assertThat(opened).hasSize(1);
        assertThat(stores.getFirst().closed).isFalse();
        assertThat(zstor.stat("k").size()).isEqualTo(1);
    }

    @Test
    void aCallRunningDuringAReloadFinishesOnTheOldStoreWhichIsClosedAfter() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemoryZstor slow = new InMemoryZstor() {
            @Override
            public List<ObjectInfo> list() {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.list();
            }
        };
        ReloadableZstor zstor = new ReloadableZstor(slow);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<ObjectInfo>> listing = executor.submit(zstor::list);
            inside.await();
            InMemoryZstor next = new InMemoryZstor();
            zstor.replace(next);
            assertThat(slow.closed).as("still in use").isFalse();
            release.countDown();
            listing.get();
            assertThat(slow.closed).isTrue();
            assertThat(next.closed).isFalse();
        }
        zstor.close();
    }

    @Test
    void sigusr1Reloads() throws Exception {
        Path file = Files.writeString(dir.resolve("zstor.toml"), config(1));
        List<ZstorConfig> opened = new CopyOnWriteArrayList<>();
        ReloadableZstor zstor = new ReloadableZstor(new InMemoryZstor());
        new ConfigReloader(file, config -> {
            opened.add(config);
            return new InMemoryZstor();
        }, zstor).onSignal();
        Files.writeString(file, config(3));
        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();
        Await.until(() -> !opened.isEmpty(), Duration.ofSeconds(20), () -> "no reload after SIGUSR1");
        assertThat(opened.getFirst().groups()).hasSize(3);
    }
}
