package dev.quilt.zstor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed loopback address in front of one backend, so a test can stop the backend and start it again
 * (on whatever port the restarted server binds) while zstor keeps the address in its config. While
 * the backend is down, connections are closed at once. Faults on a live backend are testkit's
 * {@code FaultProxy}'s job.
 */
final class LoopbackProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int upstreamPort;
    /** Bytes clients sent to the backend: what a test counts writes by. */
    private final AtomicLong requestBytes = new AtomicLong();

    LoopbackProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept-" + port()).start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    long requestBytes() {
        return requestBytes.get();
    }

    /** Points new connections at another port (a restarted backend), dropping the current ones. */
    void retarget(int port) {
        upstreamPort = port;
        dropConnections();
    }

    void dropConnections() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
        } catch (IOException e) {
            // The backend is down: the client sees its connection closed at once.
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream, requestBytes));
        Thread.ofVirtual().start(() -> pump(upstream, client, new AtomicLong()));
    }

    private void pump(Socket from, Socket to, AtomicLong counted) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
                counted.addAndGet(read);
            }
        } catch (IOException e) {
            // Either side went away; close both below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing a socket that is already broken.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropConnections();
    }
}
