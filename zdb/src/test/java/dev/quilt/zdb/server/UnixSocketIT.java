package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.ZdbTransport;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UnixSocketIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = ZdbTransport.class, names = {"IO_URING", "EPOLL"})
    void servesAUnixSocketAndNamesItInTheInstanceId(ZdbTransport transport) throws Exception {
        TransportIT.assumeAvailable(transport);
        Path socket = dir.resolve("zdb.sock");
        Path log = dir.resolve("argv.log");
        Path hook = dir.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        ZdbServerConfig config = new ZdbServerConfig(StoreConfig.defaults(dir.resolve("data"), dir.resolve("index")),
                Optional.empty(), Optional.of(socket), Optional.empty(), false, Optional.of(hook), Optional.empty())
                .withTransport(transport);
        try (ZdbServer server = ZdbServer.start(config);
             SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            assertThat(server.address()).isEmpty();
            channel.write(ByteBuffer.wrap("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            String expected = "$1\r\nk\r\n+PONG\r\n";
            ByteBuffer reply = ByteBuffer.allocate(expected.length());
            while (reply.hasRemaining()) {
                if (channel.read(reply) < 0) {
                    break;
                }
            }
            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo(expected);
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).contains("ready unix://" + socket);
        }
    }

    @Test
    void refusesAUnixSocketOnNioWithAOneLineReason() {
        Path socket = dir.resolve("zdb.sock");
        ZdbServerConfig config = new ZdbServerConfig(StoreConfig.defaults(dir.resolve("data"), dir.resolve("index")),
                Optional.empty(), Optional.of(socket), Optional.empty(), false, Optional.empty(), Optional.empty())
                .withTransport(ZdbTransport.NIO);
        assertThatThrownBy(() -> ZdbServer.start(config))
                .isInstanceOf(IOException.class)
                .hasMessage("--socket " + socket + " needs the epoll or io_uring transport, not nio");
    }
}
