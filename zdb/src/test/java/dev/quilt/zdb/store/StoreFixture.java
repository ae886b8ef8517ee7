package dev.quilt.zdb.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Opens stores in a temp directory, with the test thread as the owner thread. */
final class StoreFixture {
    static final long SMALL_FILES = StoreConfig.MIN_DATA_FILE_SIZE;

    private StoreFixture() { }

    static StoreConfig config(Path dir, Optional<Mode> mode, long fileSize) {
        return new StoreConfig(dir.resolve("data"), dir.resolve("index"), mode, fileSize, false, Duration.ZERO, 0);
    }

    static Store open(Path dir) throws IOException {
        return Store.open(config(dir, Optional.empty(), SMALL_FILES), StoreListener.NONE, Runnable::run);
    }

    static Store open(Path dir, StoreListener listener) throws IOException {
        return Store.open(config(dir, Optional.empty(), SMALL_FILES), listener, Runnable::run);
    }

    /** A listener whose missing-data puts a copy of {@code stored} in place, noting each file asked for in {@code asked}. */
    static StoreListener restoringFrom(Path stored, List<Path> asked) {
        return new StoreListener() {
            @Override
            public boolean missingData(Path dataFile) {
                asked.add(dataFile);
                try {
                    Files.copy(stored, dataFile);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            }
        };
    }

    static FileNamespace ns(Store store, String name) {
        return (FileNamespace) store.namespace(name).orElseThrow();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static List<String> scanAll(Namespace ns, boolean reverse) throws Exception {
        List<String> keys = new ArrayList<>();
        byte[] cursor = null;
        while (true) {
            ScanBatch batch = reverse ? ns.rscan(cursor, 7, Long.MAX_VALUE) : ns.scan(cursor, 7, Long.MAX_VALUE);
            if (batch.isEmpty()) {
                return keys;
            }
            for (ScanBatch.Entry e : batch.entries()) {
                keys.add(s(e.key()));
            }
            cursor = batch.nextCursor();
        }
    }
}
