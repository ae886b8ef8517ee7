package dev.quilt.zstor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {
    @TempDir
    Path dir;

    @Test
    void hookEventsReachTheHandlerWithEveryArgumentIntact() throws Exception {
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        Path socket = dir.resolve("zstor.sock");
        try (ControlSocketServer server = ControlSocketServer.start(socket, fields -> {
            seen.add(fields);
            return fields.get(1).equals("missing-data") ? ControlFrames.Reply.failed("no such object")
                    : ControlFrames.Reply.ok("queued");
        })) {
            HookClient.Result ok = HookClient.forward(socket, "jump-data", "tcp://[::1]:9900",
                    List.of("/data/default/d 1", "/data/default/d2"));
            assertThat(ok).isEqualTo(new HookClient.Result(0, "queued"));
            HookClient.Result failed = HookClient.forward(socket, "missing-data", "unix:///run/zdb.sock", List.of("/x/d0"));
            assertThat(failed).isEqualTo(new HookClient.Result(1, "no such object"));
        }
        assertThat(seen).containsExactly(
                List.of("hook", "jump-data", "tcp://[::1]:9900", "/data/default/d 1", "/data/default/d2"),
                List.of("hook", "missing-data", "unix:///run/zdb.sock", "/x/d0"));
        assertThat(socket).doesNotExist();
    }

    @Test
    void relativeDataFilePathsAreMadeAbsoluteInTheHooksWorkingDirectory() throws Exception {
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        Path socket = dir.resolve("zstor.sock");
        try (ControlSocketServer server = ControlSocketServer.start(socket, fields -> {
            seen.add(fields);
            return ControlFrames.Reply.ok("");
        })) {
            HookClient.forward(socket, "missing-data", "id", List.of("zdb-data/default/d0"));
        }
        assertThat(seen).containsExactly(List.of("hook", "missing-data", "id",
                Path.of("zdb-data/default/d0").toAbsolutePath().toString()));
    }

    @Test
    void eventsTheDaemonDoesNotNeedSucceedWithoutADaemon() {
        assertThat(HookClient.forward(dir.resolve("absent.sock"), "namespace-created", "id", List.of("ns")).exitCode()).isZero();
        HookClient.Result ready = HookClient.forward(dir.resolve("absent.sock"), "ready", "id", List.of());
        assertThat(ready.exitCode()).isEqualTo(1);
        assertThat(ready.message()).startsWith("cannot reach the zstor daemon on " + dir.resolve("absent.sock"));
    }

    @Test
    void aSocketLeftByAKilledDaemonIsReplaced() throws Exception {
        Path socket = dir.resolve("zstor.sock");
        // A bound-then-closed channel leaves the socket file behind, as a kill -9 does.
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(Files.exists(socket)).isTrue();
        try (ControlSocketServer server = ControlSocketServer.start(socket, fields -> ControlFrames.Reply.ok("pong"))) {
            assertThat(HookClient.forward(socket, "ready", "id", List.of()).exitCode()).isZero();
            assertThatThrownBy(() -> ControlSocketServer.start(socket, fields -> ControlFrames.Reply.ok("")))
                    .isInstanceOf(IOException.class).hasMessageContaining("in use by a running daemon");
        }
    }
}
