package dev.quilt.common.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeReplacesTheWholeFileAndLeavesNoTempFile() throws Exception {
        Path target = dir.resolve("state");
        AtomicFiles.write(target, new byte[] {1, 2, 3, 4});
        AtomicFiles.write(target, new byte[] {9});
        assertThat(Files.readAllBytes(target)).containsExactly(9);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
