package dev.quilt.zdb.client;

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

/**
 * A loopback TCP peer that answers each RESP request with the raw bytes a script returns, and records
 * every request per connection. It stands in for zdb's replies (SCAN cursors, HISTORY, SET returning the
 * key) in client tests that need exact zdb reply shapes; the real server is tested with the real client
 * in zdb's integration tests.
 */
final class ScriptedServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Function<List<String>, String> script;
    final List<List<String>> requests = new CopyOnWriteArrayList<>();
    final List<Integer> connectionOfRequest = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();

    ScriptedServer(Function<List<String>, String> script) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        int id = 0;
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                clients.add(client);
                int connection = id++;
                Thread.ofVirtual().start(() -> serve(client, connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, int connection) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                List<String> request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                connectionOfRequest.add(connection);
                String reply = script.apply(request);
                if (reply == null) {
                    return;
                }
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static List<String> readRequest(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        int count = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = Integer.parseInt(line(in).substring(1));
            args.add(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1));
            in.readNBytes(2);
        }
        return args;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Closes every client connection, as a server restart would; keeps accepting new ones. */
    void dropConnections() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
    }

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket client : clients) {
            client.close();
        }
    }
}
