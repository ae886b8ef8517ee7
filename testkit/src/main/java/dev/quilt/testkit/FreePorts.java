package dev.quilt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Loopback TCP ports that were free a moment ago.
 *
 * <p>A port is found by binding port 0 and closing the socket again, so another process may take it
 * before the test binds it. Prefer binding port 0 in the server under test and asking it for its address;
 * use this only where a port must be chosen before the process starts (a child JVM, redis-server).
 * Thread-safe.
 */
public final class FreePorts {
    private FreePorts() { }

    /** A TCP port on 127.0.0.1 that was free when this method returned. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an ephemeral port on loopback", e);
        }
    }
}
