package dev.quilt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void startEchoServerBehindProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread.ofVirtual().start(() -> echoAll(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = FaultProxy.start(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesThroughBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
            assertThat(roundTrip(client, "again")).isEqualTo("again");
        }
    }

    @Test
    void stallHoldsRepliesUntilCleared() throws Exception {
        try (Socket client = connect()) {
            proxy.stall();
            send(client, "held");
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.passThrough();
            client.setSoTimeout(10_000);
            assertThat(readExactly(client, 4)).isEqualTo("held");
        }
    }

    @Test
    void timedStallReleasesRepliesByItself() throws Exception {
        try (Socket client = connect()) {
            proxy.stallFor(Duration.ofMillis(200));
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return roundTrip(client, "later");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("later");
            assertThat(proxy.fault()).isInstanceOf(FaultProxy.Fault.PassThrough.class);
        }
    }

    @Test
    void cutAfterReplyBytesTearsTheReplyAtThatByte() throws IOException {
        try (Socket client = connect()) {
            proxy.cutAfterReplyBytes(3);
            send(client, "abcdefgh");
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            byte[] got = new byte[16];
            int total = 0;
            try {
                int n;
                while ((n = in.read(got, total, got.length - total)) > 0) {
                    total += n;
                }
            } catch (IOException reset) {
                // A reset is the expected way for the connection to end.
            }
            assertThat(new String(got, 0, total, StandardCharsets.UTF_8)).isEqualTo("abc");
        }
    }

    @Test
    void refuseResetsNewConnectionsButKeepsOpenOnes() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "x")).isEqualTo("x");
            proxy.refuseNewConnections();
            try (Socket refused = connect()) {
                refused.setSoTimeout(10_000);
                assertThatThrownBy(() -> {
                    refused.getOutputStream().write('y');
                    if (refused.getInputStream().read() < 0) {
                        throw new IOException("end of stream");
                    }
                }).isInstanceOf(IOException.class);
            }
            assertThat(roundTrip(open, "still")).isEqualTo("still");

            proxy.passThrough();
            try (Socket again = connect()) {
                assertThat(roundTrip(again, "back")).isEqualTo("back");
            }
        }
    }

    @Test
    void cutOpenConnectionsDropsEveryConnection() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "x")).isEqualTo("x");
            proxy.cutOpenConnections();
            client.setSoTimeout(10_000);
            assertThatThrownBy(() -> {
                if (client.getInputStream().read() < 0) {
                    throw new IOException("end of stream");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String roundTrip(Socket client, String text) throws IOException {
        send(client, text);
        return readExactly(client, text.length());
    }

    private static void send(Socket client, String text) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readExactly(Socket client, int length) throws IOException {
        byte[] bytes = client.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void echoAll(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // The proxy cut the connection: nothing to echo any more.
        }
    }
}
