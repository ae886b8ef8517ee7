package dev.quilt.common.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void secondAcquireFailsUntilTheFirstIsReleased() throws Exception {
        Path root = dir.resolve("root");
        try (DirectoryLock lock = DirectoryLock.acquire(root)) {
            assertThat(lock.lockFile()).isEqualTo(root.resolve(".lockfile"));
            assertThatThrownBy(() -> DirectoryLock.acquire(root)).isInstanceOf(DirectoryLockedException.class)
                    .hasMessageContaining(".lockfile");
        }
        DirectoryLock.acquire(root).close();
    }
}
