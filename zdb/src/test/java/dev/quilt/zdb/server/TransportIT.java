package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zdb.ZdbTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same traffic on every transport the machine offers: exact replies, in order, small and large. */
class TransportIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = ZdbTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void servesPipelinedAndLargeRequestsOnEveryTransport(ZdbTransport transport) throws Exception {
        assumeAvailable(transport);
        try (ServerFixture zdb = new ServerFixture(dir).transport(transport).start()) {
            RawClient c = zdb.client();
            // Pipelined: two hundred requests in one write, replies must come back complete and in order.
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                batch.append(request("SET", "k" + i, "v" + i)).append(request("GET", "k" + i));
            }
            c.sendRaw(batch.toString());
            for (int i = 0; i < 100; i++) {
                String key = "k" + i;
                String value = "v" + i;
                assertThat(c.reply()).isEqualTo("$" + key.length() + "\r\n" + key + "\r\n");
                assertThat(c.reply()).isEqualTo("$" + value.length() + "\r\n" + value + "\r\n");
            }
            // A value of several MiB arrives in many reads and leaves in many writes.
            byte[] big = new byte[6 << 20];
            new Random(7).nextBytes(big);
            assertThat(c.call("SET", "big", big)).isEqualTo("$3\r\nbig\r\n");
            byte[] reply = c.replyBytesOf("GET", "big");
            byte[] header = ("$" + big.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertThat(Arrays.copyOfRange(reply, 0, header.length)).isEqualTo(header);
            assertThat(Arrays.copyOfRange(reply, header.length, header.length + big.length)).isEqualTo(big);
            assertThat(c.call("DBSIZE")).isEqualTo(":101\r\n");
        }
    }

    private static String request(String... args) {
        StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            out.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return out.toString();
    }

    static void assumeAvailable(ZdbTransport transport) {
        switch (transport) {
            case IO_URING -> Assumptions.assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
            case EPOLL -> Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
            default -> { }
        }
    }
}
