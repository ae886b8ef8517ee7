package dev.quilt.zdb.store;

import dev.quilt.testkit.Await;
import dev.quilt.testkit.OpenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.quilt.zdb.store.StoreFixture.b;
import static dev.quilt.zdb.store.StoreFixture.ns;
import static dev.quilt.zdb.store.StoreFixture.s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The descriptors a store holds on closed data files, as the kernel lists them: bounded however many files
 * are read, let go when idle or deleted, and a deleted file's next read goes through missing-data.
 */
class DataFileHandlesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration NEVER_IDLE = Duration.ofHours(1);

    @TempDir
    Path dir;

    private Path nsData() {
        return dir.resolve("data/default");
    }

    private Store open(int openFiles, Duration idle, StoreListener listener) throws IOException {
        StoreConfig config = StoreFixture.config(dir, Optional.empty(), StoreFixture.SMALL_FILES)
                .withOpenDataFiles(openFiles, idle);
        return Store.open(config, listener, Runnable::run);
    }

    /** Writes key {@code k<i>} into data file i for i in 0..files-1, each file then closed by a jump. */
    private static void fill(FileNamespace ns, int files) throws IOException {
        for (int i = 0; i < files; i++) {
            ns.set(b("k" + i), b("v" + i), 1);
            ns.jump();
        }
    }

    /** Sweeps until at most {@code max} data files of the namespace are open (jumped files wait for their fsync). */
    private void awaitAtMostOpen(Store store, int max) {
        Await.until(() -> {
            store.closeIdleFiles();
            return OpenFiles.under(nsData()).size() <= max;
        }, PATIENCE, () -> "open: " + OpenFiles.under(nsData()));
    }

    @Test
    void readsOfManyClosedDataFilesKeepABoundedNumberOfThemOpen() throws Exception {
        try (Store store = open(4, NEVER_IDLE, StoreListener.NONE)) {
            fill(ns(store, "default"), 40);
            awaitAtMostOpen(store, 4 + 1);
        }
        try (Store store = open(4, NEVER_IDLE, StoreListener.NONE)) {
            FileNamespace ns = ns(store, "default");
            assertThat(OpenFiles.under(nsData())).containsExactly(nsData().toRealPath().resolve("d40").toString());
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 40; i++) {
                    assertThat(s(ns.get(b("k" + i)))).isEqualTo("v" + i);
                    assertThat(OpenFiles.under(nsData())).as("after reading k%d", i).hasSizeLessThanOrEqualTo(4 + 1);
                }
            }
            assertThat(OpenFiles.under(nsData())).hasSize(4 + 1);
        }
    }

    @Test
    void anIdleClosedDataFileIsClosedAndReopenedOnItsNextRead() throws Exception {
        try (Store store = open(32, Duration.ofMillis(50), StoreListener.NONE)) {
            FileNamespace ns = ns(store, "default");
            fill(ns, 2);
            String d0 = nsData().toRealPath().resolve("d0").toString();
            awaitAtMostOpen(store, 1);
            assertThat(OpenFiles.under(nsData())).doesNotContain(d0);

            assertThat(s(ns.get(b("k0")))).isEqualTo("v0");
            assertThat(OpenFiles.under(nsData())).contains(d0);
            awaitAtMostOpen(store, 1);
            assertThat(s(ns.get(b("k0")))).isEqualTo("v0");
            assertThat(s(ns.history(b("k0"), null) instanceof HistoryOutcome.Version v ? v.payload() : null))
                    .isEqualTo("v0");
        }
    }

    @Test
    void aDeletedClosedDataFileFreesItsSpaceAndItsNextReadGoesThroughMissingData() throws Exception {
        Path aside = dir.resolve("d0.stored");
        List<Path> asked = new ArrayList<>();
        try (Store store = open(32, NEVER_IDLE, StoreFixture.restoringFrom(aside, asked))) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v"), 1);
            ns.jump();
            ns.set(b("later"), b("w"), 1);
            assertThat(s(ns.get(b("k")))).isEqualTo("v");
            Path d0 = nsData().resolve("d0");
            Files.copy(d0, aside);
            Files.delete(d0);
            assertThat(OpenFiles.deletedUnder(nsData())).containsExactly(nsData().toRealPath().resolve("d0") + " (deleted)");

            Await.until(() -> {
                store.closeIdleFiles();
                return OpenFiles.deletedUnder(nsData()).isEmpty();
            }, PATIENCE, () -> "open: " + OpenFiles.under(nsData()));
            assertThat(asked).isEmpty();

            assertThat(s(ns.get(b("k")))).isEqualTo("v");
            assertThat(asked).containsExactly(d0);
            assertThat(s(ns.get(b("later")))).isEqualTo("w");
        }
    }

    @Test
    void compactionRewritesClosedFilesWhetherTheyAreOpenOrNot() throws Exception {
        try (Store store = open(2, NEVER_IDLE, StoreListener.NONE)) {
            FileNamespace ns = ns(store, "default");
            for (int i = 0; i < 10; i++) {
                ns.set(b("k" + i), b("v" + i), 1);
                ns.set(b("shared"), b("s" + i), 1);
                ns.jump();
            }
        }
        try (Store store = open(2, NEVER_IDLE, StoreListener.NONE)) {
            FileNamespace ns = ns(store, "default");
            for (int i = 0; i < 4; i++) {
                assertThat(s(ns.get(b("k" + i)))).isEqualTo("v" + i);
            }
            assertThat(ns.compact().filesCompacted()).isEqualTo(9);
            for (int i = 0; i < 10; i++) {
                assertThat(s(ns.get(b("k" + i)))).isEqualTo("v" + i);
            }
            assertThat(s(ns.get(b("shared")))).isEqualTo("s9");
            assertThat(OpenFiles.under(nsData())).hasSizeLessThanOrEqualTo(2 + 1);
            ns.checkInvariants();
        }
    }
}
