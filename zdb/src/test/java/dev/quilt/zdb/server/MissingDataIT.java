package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.OpenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offloaded data files: the server restarts with index files present and data files absent, and a read that
 * needs one waits for the missing-data hook off the event loop, while other connections are served.
 */
class MissingDataIT {

    @TempDir
    Path dir;

    private Path d0() {
        return dir.resolve("data/default/d0");
    }

    private Path aside() {
        return dir.resolve("d0.offloaded");
    }

    /** Writes k=v into d0, closes it with NSJUMP, stops the server and moves d0 away (offloads it). */
    private void offloadFirstDataFile() throws Exception {
        try (ServerFixture zdb = new ServerFixture(dir).start()) {
            RawClient c = zdb.client();
            assertThat(c.call("SET", "k", "v")).isEqualTo("$1\r\nk\r\n");
            assertThat(c.call("NSJUMP")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "later", "w")).isEqualTo("$5\r\nlater\r\n");
        }
        Files.move(d0(), aside());
    }

    /** A hook that, on missing-data, waits until {@code release} exists, then puts the file back. */
    private Path gatedRestoreHook(Path release) throws IOException {
        Path hook = dir.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\n"
                + "[ \"$1\" = missing-data ] || exit 0\n"
                + "echo \"$3\" >> " + dir.resolve("asked.log") + "\n"
                + "while [ ! -f " + release + " ]; do sleep 0.05; done\n"
                + "mv " + aside() + " \"$3\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        return hook;
    }

    @Test
    void anotherConnectionIsServedWhileAMissingDataHookRuns() throws Exception {
        offloadFirstDataFile();
        Path release = dir.resolve("release");
        try (ServerFixture zdb = new ServerFixture(dir).hook(gatedRestoreHook(release)).start()) {
            RawClient waiting = zdb.client();
            RawClient other = zdb.client();
            // Pipelined: the PING's reply must come after the GET's, whatever the hook takes.
            waiting.send("GET", "k");
            waiting.send("PING");
            CompletableFuture<String> replies = CompletableFuture.supplyAsync(() -> {
                try {
                    return waiting.reply() + waiting.reply();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Poll.until(() -> Files.exists(dir.resolve("asked.log")), exists -> exists, "the missing-data hook to start");

            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(other.call("SET", "x", "y")).isEqualTo("$1\r\nx\r\n");
            assertThat(other.call("GET", "later")).isEqualTo("$1\r\nw\r\n");
            assertThat(other.call("NSNEW", "elsewhere")).isEqualTo("+OK\r\n");
            assertThat(replies).isNotDone();

            Files.createFile(release);
            assertThat(replies.get(30, TimeUnit.SECONDS)).isEqualTo("$1\r\nv\r\n+PONG\r\n");
            assertThat(Files.readAllLines(dir.resolve("asked.log"))).containsExactly(d0().toString());
            assertThat(waiting.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        }
    }

    @Test
    void aDataFileDeletedWhileServingFreesItsSpaceAndComesBackThroughTheHook() throws Exception {
        Path restore = dir.resolve("hook.sh");
        Files.writeString(restore, "#!/bin/sh\n"
                + "[ \"$1\" = missing-data ] || exit 0\n"
                + "echo \"$3\" >> " + dir.resolve("asked.log") + "\n"
                + "cp " + aside() + " \"$3\"\n");
        Files.setPosixFilePermissions(restore, PosixFilePermissions.fromString("rwx------"));
        try (ServerFixture zdb = new ServerFixture(dir).hook(restore).dataFileIdleTimeout(Duration.ofMillis(200)).start()) {
            RawClient c = zdb.client();
            assertThat(c.call("SET", "k", "v")).isEqualTo("$1\r\nk\r\n");
            assertThat(c.call("NSJUMP")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "later", "w")).isEqualTo("$5\r\nlater\r\n");
            assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            // What an offloader does once d0 is stored elsewhere.
            Files.copy(d0(), aside());
            Files.delete(d0());

            Path data = dir.resolve("data/default");
            Await.until(() -> OpenFiles.deletedUnder(data).isEmpty(), Duration.ofSeconds(30),
                    () -> "open: " + OpenFiles.under(data));
            assertThat(Files.exists(dir.resolve("asked.log"))).isFalse();

            assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(Files.readAllLines(dir.resolve("asked.log"))).containsExactly(d0().toString());
            assertThat(c.call("GET", "later")).isEqualTo("$1\r\nw\r\n");
        }
    }

    @Test
    void aFailedHookAnswersTheReadWithAnErrorAndTheConnectionGoesOn() throws Exception {
        offloadFirstDataFile();
        Path hook = dir.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\n[ \"$1\" = missing-data ] && exit 1\nexit 0\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        try (ServerFixture zdb = new ServerFixture(dir).hook(hook).start()) {
            RawClient c = zdb.client();
            c.send("GET", "k");
            c.send("GET", "later");
            assertThat(c.reply()).startsWith("-");
            assertThat(c.reply()).isEqualTo("$1\r\nw\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":2\r\n");
        }
    }

    @Test
    void restartsWithDataFilesOffloadedAndWithoutAHook() throws Exception {
        offloadFirstDataFile();
        try (ServerFixture zdb = new ServerFixture(dir).start()) {
            RawClient c = zdb.client();
            assertThat(c.call("DBSIZE")).isEqualTo(":2\r\n");
            assertThat(c.call("GET", "later")).isEqualTo("$1\r\nw\r\n");
            assertThat(c.call("EXISTS", "k")).isEqualTo(":1\r\n");
            assertThat(c.call("GET", "k")).startsWith("-");
            assertThat(c.call("SET", "new", "z")).isEqualTo("$3\r\nnew\r\n");
        }
        assertThat(Files.exists(d0())).isFalse();
    }
}
