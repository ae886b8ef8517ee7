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

/**
 * A loopback TCP proxy in front of one backend, so a test can take the backend away and bring it back
 * on the same address, or make it misbehave: stall replies, or cut a connection in the middle of a
 * reply. Replies are relayed chunk by chunk, and the policy in force when a chunk arrives applies to it.
 */
final class LoopbackProxy implements AutoCloseable {

    /** What happens to replies. */
    enum Policy {
        /** Relay everything. */
        FORWARD,
        /** Hold replies back forever (the connection stays open). */
        STALL,
        /** Relay half of the next reply chunk, then close the connection. */
        CUT_MID_REPLY
    }

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int upstreamPort;
    private volatile Policy policy = Policy.FORWARD;

    LoopbackProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept-" + port()).start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Points new connections at another port (a restarted backend), dropping the current ones. */
    void retarget(int port) {
        upstreamPort = port;
        dropConnections();
    }

    void policy(Policy value) {
        policy = value;
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
        Thread.ofVirtual().start(() -> pump(client, upstream, false));
        Thread.ofVirtual().start(() -> pump(upstream, client, true));
    }

    private void pump(Socket from, Socket to, boolean reply) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                Policy now = reply ? policy : Policy.FORWARD;
                switch (now) {
                    case FORWARD -> out.write(buffer, 0, read);
                    case STALL -> {
                        // Swallow the reply; the client waits until its read timeout.
                    }
                    case CUT_MID_REPLY -> {
                        out.write(buffer, 0, Math.max(1, read / 2));
                        out.flush();
                        return;
                    }
                }
                out.flush();
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
