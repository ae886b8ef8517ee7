package dev.quilt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.testkit.FreePorts;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ZdbCompactCommandTest {
    @Test
    void sendsCompactWithTheNamespaceAfterAuthAndPrintsTheSummary() throws Exception {
        String summary = "namespace: tenant\nfiles_compacted: 2\nbytes_before: 2048\nbytes_after: 1024\n";
        try (OneReplyServer server = new OneReplyServer(r -> switch (r.getFirst()) {
            case "COMPACT" -> "$" + summary.length() + "\r\n" + summary + "\r\n";
            default -> "+OK\r\n";
        })) {
            QuiltRun run = QuiltRun.of("zdb", "compact", "--port", Integer.toString(server.port()), "--admin", "pw", "tenant");
            assertThat(run).isEqualTo(new QuiltRun(ExitCodes.OK, summary, ""));
            assertThat(server.requests).containsSubsequence(List.of("AUTH", "pw"), List.of("COMPACT", "tenant"));
        }
    }

    @Test
    void aRefusalIsPrintedWithTheServersMessage() throws Exception {
        try (OneReplyServer server = new OneReplyServer(r -> r.getFirst().equals("COMPACT") ? "-Permission denied\r\n" : "+PONG\r\n")) {
            QuiltRun run = QuiltRun.of("zdb", "compact", "--port", Integer.toString(server.port()));
            assertThat(run).isEqualTo(new QuiltRun(ExitCodes.UNAVAILABLE, "",
                    "error: zdb at 127.0.0.1:" + server.port() + " refused COMPACT: Permission denied\n"));
        }
    }

    @Test
    void noServerIsUnavailable() {
        int port = FreePorts.next();
        assertThat(QuiltRun.of("zdb", "compact", "--port", Integer.toString(port))).isEqualTo(new QuiltRun(ExitCodes.UNAVAILABLE, "",
                "error: cannot connect to 127.0.0.1:" + port + ": Connection refused\n"));
    }

    /** A loopback peer answering each RESP request with the reply its script gives. */
    private static final class OneReplyServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final List<List<String>> requests = new CopyOnWriteArrayList<>();

        OneReplyServer(Function<List<String>, String> script) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket client = socket.accept()) {
                        InputStream in = new BufferedInputStream(client.getInputStream());
                        OutputStream out = client.getOutputStream();
                        List<String> request;
                        while ((request = read(in)) != null) {
                            requests.add(request);
                            out.write(script.apply(request).getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    } catch (IOException e) {
                        // next client, or closed
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        private static List<String> read(InputStream in) throws IOException {
            String header = line(in);
            if (header == null) {
                return null;
            }
            List<String> args = new ArrayList<>();
            for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
                int length = Integer.parseInt(line(in).substring(1));
                args.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                in.readNBytes(2);
            }
            return args;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return null;
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
