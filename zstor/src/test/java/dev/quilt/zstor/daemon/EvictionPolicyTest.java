package dev.quilt.zstor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvictionPolicyTest {
    @TempDir
    Path dir;

    private static DataDirScan.DataFile file(String relative, long size, long atime, boolean active) {
        return new DataDirScan.DataFile(Path.of("/data").resolve(relative), relative, size, 1000, atime, active);
    }

    @Test
    void deletesLeastRecentlyUsedConfirmedClosedFilesUntilUnderTheCap() throws Exception {
        try (OffloadManifest manifest = OffloadManifest.open(dir)) {
            List<DataDirScan.DataFile> files = List.of(
                    file("a/d0", 100, 50, false),     // confirmed, used late
                    file("a/d1", 100, 10, false),     // confirmed, used first: goes first
                    file("a/d2", 100, 5, false),      // never confirmed: stays
                    file("a/d3", 100, 1, true),       // active: stays
                    file("b/d0", 100, 20, false),     // confirmed, but brought back recently
                    file("b/d1", 100, 30, false));    // confirmed
            for (DataDirScan.DataFile f : files) {
                if (!f.relative().equals("a/d2")) {
                    manifest.confirm(f.relative(), f.size(), f.mtimeMillis());
                }
            }
            DataDirScan.Result scan = new DataDirScan.Result(files, 600);
            Map<String, Long> retrieved = Map.of("b/d0", 99L);

            assertThat(EvictionPolicy.choose(scan, 350, manifest, retrieved)).extracting(DataDirScan.DataFile::relative)
                    .containsExactly("a/d1", "b/d1", "a/d0");
            assertThat(EvictionPolicy.choose(scan, 0, manifest, retrieved)).isEmpty();
            assertThat(EvictionPolicy.choose(scan, 600, manifest, retrieved)).isEmpty();
            // However small the cap, the active and the unconfirmed files are never chosen.
            assertThat(EvictionPolicy.choose(scan, 1, manifest, retrieved)).extracting(DataDirScan.DataFile::relative)
                    .containsExactly("a/d1", "b/d1", "a/d0", "b/d0");
        }
    }

    @Test
    void aFileWhoseSizeOrTimeChangedSinceItWasConfirmedIsNotChosen() throws Exception {
        try (OffloadManifest manifest = OffloadManifest.open(dir)) {
            manifest.confirm("a/d0", 100, 1000);
            DataDirScan.Result scan = new DataDirScan.Result(List.of(file("a/d0", 120, 1, false)), 1000);
            assertThat(EvictionPolicy.choose(scan, 1, manifest, Map.of())).isEmpty();
        }
    }
}
