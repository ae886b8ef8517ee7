package dev.quilt.zstor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's pid file, and the command line's store, retrieve and status through its control socket. */
class DaemonControlTest {
    @TempDir
    Path dir;

    static final DaemonConfig.Repair IDLE = new DaemonConfig.Repair(0, Duration.ZERO, Duration.ofHours(1));

    ZstorDaemon start(InMemoryZstor zstor, Optional<Path> socket, Optional<Path> pidFile) throws IOException {
        return ZstorDaemon.start(zstor, new DaemonConfig(socket, Optional.empty(), Optional.empty(), IDLE, pidFile));
    }

    @Test
    void thePidFileHoldsThePidWhileTheDaemonRunsAndIsRemovedAtExit() throws Exception {
        Path pidFile = dir.resolve("run/zstor.pid");
        try (ZstorDaemon daemon = start(new InMemoryZstor(), Optional.empty(), Optional.of(pidFile))) {
            assertThat(Files.readString(pidFile)).isEqualTo(ProcessHandle.current().pid() + "\n");
        }
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aPidFileLeftByADeadDaemonIsReplaced() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = dir.resolve("zstor.pid");
        Files.writeString(pidFile, gone.pid() + "\n");
        try (ZstorDaemon daemon = start(new InMemoryZstor(), Optional.empty(), Optional.of(pidFile))) {
            assertThat(Files.readString(pidFile)).isEqualTo(ProcessHandle.current().pid() + "\n");
        }
        Files.writeString(pidFile, "not a pid\n");
        try (ZstorDaemon daemon = start(new InMemoryZstor(), Optional.empty(), Optional.of(pidFile))) {
            assertThat(Files.readString(pidFile)).isEqualTo(ProcessHandle.current().pid() + "\n");
        }
    }

    @Test
    void aPidFileNamingARunningProcessIsRefused() throws Exception {
        Process running = new ProcessBuilder("sleep", "60").start();
        try {
            Path pidFile = dir.resolve("zstor.pid");
            Files.writeString(pidFile, running.pid() + "\n");
            assertThatThrownBy(() -> start(new InMemoryZstor(), Optional.empty(), Optional.of(pidFile)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("pid_file " + pidFile + " names process " + running.pid() + ", which is running:"
                            + " another zstor daemon? (stop it, or remove the file if it is not one)");
            assertThat(Files.readString(pidFile)).isEqualTo(running.pid() + "\n");
        } finally {
            running.destroy();
        }
    }

    @Test
    void storeRetrieveAndStatusRunOnTheDaemonsStore() throws Exception {
        InMemoryZstor zstor = new InMemoryZstor();
        Path socket = dir.resolve("zstor.sock");
        Path file = Files.write(dir.resolve("in file.bin"), new byte[] {1, 2, 3, 4, 5});
        try (ZstorDaemon daemon = start(zstor, Optional.of(socket), Optional.empty())) {
            DaemonClient client = DaemonClient.find(socket).orElseThrow();
            ObjectInfo stored = client.store("a/key", file);
            assertThat(stored.key()).isEqualTo("a/key");
            assertThat(stored.size()).isEqualTo(5);
            assertThat(zstor.objects.get("a/key")).containsExactly(1, 2, 3, 4, 5);

            Path out = Files.write(dir.resolve("out.part"), new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
            ObjectInfo retrieved = client.retrieve("a/key", out);
            assertThat(retrieved).isEqualTo(stored);
            assertThat(Files.readAllBytes(out)).containsExactly(1, 2, 3, 4, 5);

            assertThat(client.status()).isEqualTo(zstor.status());
            assertThatThrownBy(() -> client.retrieve("no/such", out)).isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("no object stored under key \"no/such\"");
            zstor.failStores = true;
            assertThatThrownBy(() -> client.store("b", file)).isInstanceOf(IOException.class);
        }
        assertThat(DaemonClient.find(socket)).isEmpty();
    }

    @Test
    void withoutADaemonThereIsNoClient() throws Exception {
        assertThat(DaemonClient.find(dir.resolve("absent.sock"))).isEmpty();
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        assertThat(DaemonClient.find(stale)).isEmpty();
    }
}
