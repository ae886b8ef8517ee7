package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zdb.resp.RespValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HooksIT {

    @TempDir
    Path dir;

    private Path script(String body) throws IOException {
        Path hook = dir.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        return hook;
    }

    private List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void runsTheHookWithEventInstanceIdAndArguments() throws Exception {
        Path log = dir.resolve("argv.log");
        Path hook = script("echo \"$@\" >> " + log);
        String id;
        try (ServerFixture zdb = new ServerFixture(dir).hook(hook).start()) {
            id = "tcp://127.0.0.1:" + zdb.address().getPort();
            assertThat(lines(log)).startsWith(
                    "namespaces-init " + id + " " + dir.resolve("index") + " " + dir.resolve("data"),
                    "ready " + id);
            RawClient c = zdb.client();
            assertThat(c.call("NSNEW", "one")).isEqualTo("+OK\r\n");
            Poll.until(() -> lines(log), l -> l.contains("namespace-created " + id + " one"), "namespace-created");
            c.call("NSSET", "one", "worm", "1");
            Poll.until(() -> lines(log), l -> l.contains("namespace-updated " + id + " one"), "namespace-updated");
            c.call("NSSET", "one", "lock", "1");
            Poll.until(() -> lines(log), l -> l.stream().filter(s -> s.equals("namespace-updated " + id + " one")).count() == 2,
                    "namespace-updated for lock");
            c.call("NSJUMP");
            Poll.until(() -> lines(log), l -> l.stream().anyMatch(s -> s.startsWith("jump-index " + id + " "))
                    && l.stream().anyMatch(s -> s.startsWith("jump-data " + id + " ")), "jump hooks");
            c.call("RELOAD", "one");
            Poll.until(() -> lines(log), l -> l.contains("namespace-reloaded " + id + " one"), "namespace-reloaded");
            c.call("NSDEL", "one");
            Poll.until(() -> lines(log), l -> l.contains("namespace-deleted " + id + " one"), "namespace-deleted");
            c.send("HOOKS");
            RespValue.Array runs = (RespValue.Array) c.value();
            assertThat(runs.elements()).isNotEmpty();
            RespValue.Array first = (RespValue.Array) runs.elements().get(0);
            assertThat(first.elements()).hasSize(6);
            assertThat(first.elements().get(0)).isEqualTo(RespValue.bulk("namespaces-init"));
            assertThat(first.elements().get(1)).isEqualTo(RespValue.array(
                    RespValue.bulk(dir.resolve("index").toString()), RespValue.bulk(dir.resolve("data").toString())));
            assertThat(first.elements().get(5)).isEqualTo(RespValue.integer(0));
        }
        Poll.until(() -> lines(log), l -> l.contains("close " + id)
                && l.stream().anyMatch(s -> s.startsWith("namespace-closing " + id + " default ")), "close hooks");
    }

    @Test
    void aReadyHookThatFailsAbortsStartUp() throws Exception {
        Path hook = script("[ \"$1\" = ready ] && exit 3\nexit 0");
        ServerFixture zdb = new ServerFixture(dir).hook(hook);
        assertThatThrownBy(zdb::start).isInstanceOf(IOException.class).hasMessageContaining("exited with 3 on the ready event");
        // The directories were released: a second start works.
        try (ServerFixture again = new ServerFixture(dir).start()) {
            assertThat(again.client().call("PING")).isEqualTo("+PONG\r\n");
        }
    }
}
