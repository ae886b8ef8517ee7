package dev.quilt.zstor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffloadManifestTest {
    @TempDir
    Path dir;

    @Test
    void confirmationsSurviveAReopenAndTheLastOneWins() throws Exception {
        try (OffloadManifest m = OffloadManifest.open(dir)) {
            m.confirm("default/d0", 10, 1000);
            m.confirm("default/d1", 20, 2000);
            m.confirm("default/d0", 11, 1001);
        }
        try (OffloadManifest m = OffloadManifest.open(dir)) {
            assertThat(m.isConfirmed("default/d0", 11, 1001)).isTrue();
            assertThat(m.isConfirmed("default/d0", 10, 1000)).isFalse();
            assertThat(m.isConfirmed("default/d1", 20, 2000)).isTrue();
            assertThat(m.size()).isEqualTo(2);
        }
    }

    @Test
    void aLineTornByACrashIsIgnoredAndCostsOnlyAnotherUpload() throws Exception {
        try (OffloadManifest m = OffloadManifest.open(dir)) {
            m.confirm("default/d0", 10, 1000);
        }
        Files.writeString(dir.resolve(OffloadManifest.FILE_NAME), "C\tdefault/d1\t20\t20", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (OffloadManifest m = OffloadManifest.open(dir)) {
            assertThat(m.isConfirmed("default/d0", 10, 1000)).isTrue();
            assertThat(m.get("default/d1")).isEmpty();
            m.confirm("default/d2", 5, 5);
        }
        try (OffloadManifest m = OffloadManifest.open(dir)) {
            assertThat(m.isConfirmed("default/d2", 5, 5)).isTrue();
        }
    }

    @Test
    void isRewrittenCompactlyWhenSupersededLinesPileUp() throws Exception {
        try (OffloadManifest m = OffloadManifest.open(dir)) {
            for (int i = 0; i < 500; i++) {
                m.confirm("default/d0", i, i);
            }
        }
        assertThat(Files.readAllLines(dir.resolve(OffloadManifest.FILE_NAME)).size()).isLessThan(100);
        try (OffloadManifest m = OffloadManifest.open(dir)) {
            assertThat(m.isConfirmed("default/d0", 499, 499)).isTrue();
        }
    }
}
