package dev.quilt.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of one target port, whose fault can be switched while tests run.
 *
 * <p>Point the client under test at {@link #address()} instead of the server, then switch faults with
 * {@link #passThrough()}, {@link #stall()}, {@link #stallFor(Duration)}, {@link #cutAfterReplyBytes(long)}
 * and {@link #refuseNewConnections()}. Faults act on <em>replies</em> (target to client); requests always
 * flow, so a stalled server still receives and executes what it is sent, as a slow network would do.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(server.address())) {
 *     client.connect(proxy.address());
 *     proxy.cutAfterReplyBytes(10);   // every connection is dropped after 10 more reply bytes
 *     ...
 *     proxy.passThrough();
 * }
 * }</pre>
 *
 * <p>Each accepted connection is served by two virtual threads with blocking sockets, one per direction.
 * A cut closes both sides with a TCP reset (linger 0), so the client sees the connection die mid-reply
 * rather than a polite end of stream. Thread-safe: faults may be switched from any thread.
 */
public final class FaultProxy implements AutoCloseable {
    private static final int BUFFER_BYTES = 8192;

    /** The fault the proxy applies; a sealed set so a switch over it is checked by the compiler. */
    public sealed interface Fault {
        /** Bytes flow both ways untouched. */
        record PassThrough() implements Fault { }

        /** Replies are held until {@code untilNanos} ({@link System#nanoTime()}); {@link Long#MAX_VALUE} holds until cleared. */
        record Stall(long untilNanos) implements Fault { }

        /** Each connection forwards at most {@code replyBytes} more reply bytes after this fault is set, then is cut. */
        record CutAfter(long replyBytes) implements Fault {
            public CutAfter {
                if (replyBytes < 0) {
                    throw new IllegalArgumentException("replyBytes < 0: " + replyBytes);
                }
            }
        }

        /** New connections are accepted and reset at once; existing ones keep flowing. */
        record Refuse() implements Fault { }
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object faultChanged = new Object();
    private volatile Fault fault = new Fault.PassThrough();
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
    }

    /** Starts a proxy on an ephemeral loopback port that forwards to {@code target}. */
    public static FaultProxy start(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FaultProxy proxy = new FaultProxy(target, server);
            Thread.ofVirtual().name("fault-proxy-accept-" + server.getLocalPort()).start(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a fault proxy on loopback for " + target, e);
        }
    }

    /** Starts a proxy in front of {@code port} on loopback. */
    public static FaultProxy start(int port) {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** The address clients should connect to. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** The port clients should connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** The fault now in force. */
    public Fault fault() {
        return fault;
    }

    /** Clears any fault: bytes flow both ways; held replies are released. */
    public void passThrough() {
        set(new Fault.PassThrough());
    }

    /** Holds every reply until {@link #passThrough()} (or another fault) is set. */
    public void stall() {
        set(new Fault.Stall(Long.MAX_VALUE));
    }

    /** Holds every reply for {@code duration} from now, then lets them flow again. */
    public void stallFor(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration < 0: " + duration);
        }
        set(new Fault.Stall(System.nanoTime() + duration.toNanos()));
    }

    /** Lets every open and new connection forward {@code replyBytes} more reply bytes, then cuts it. */
    public void cutAfterReplyBytes(long replyBytes) {
        set(new Fault.CutAfter(replyBytes));
    }

    /** Resets new connections as soon as they are accepted; open connections are left alone. */
    public void refuseNewConnections() {
        set(new Fault.Refuse());
    }

    /** Sets {@code newFault}; every connection sees it before it forwards its next reply bytes. */
    public void set(Fault newFault) {
        Objects.requireNonNull(newFault, "fault");
        synchronized (faultChanged) {
            fault = newFault;
            faultChanged.notifyAll();
        }
    }

    /** Cuts every open connection now (a reset on both sides), whatever the fault. */
    public void cutOpenConnections() {
        for (Socket socket : sockets) {
            reset(socket);
        }
    }

    /** How many sockets (client and target sides) are open through the proxy. */
    public int openSockets() {
        return sockets.size();
    }

    /** Stops accepting and cuts every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing is best effort: the accept loop ends either way.
        }
        cutOpenConnections();
        set(new Fault.PassThrough());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // the server socket was closed
            }
            if (fault instanceof Fault.Refuse) {
                reset(client);
                continue;
            }
            Thread.ofVirtual().name("fault-proxy-conn").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        sockets.add(client);
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target);
        } catch (IOException e) {
            // The target is down: the client sees its connection reset, as it would without the proxy.
            reset(client);
            reset(upstream);
            return;
        }
        Thread.ofVirtual().name("fault-proxy-request").start(() -> pumpRequests(client, upstream));
        pumpReplies(upstream, client);
    }

    private void pumpRequests(Socket client, Socket upstream) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            upstream.shutdownOutput();
        } catch (IOException e) {
            // One side went away: the reply pump or the peer notices and closes the pair.
        } finally {
            sockets.remove(client);
        }
    }

    private void pumpReplies(Socket upstream, Socket client) {
        byte[] buffer = new byte[BUFFER_BYTES];
        Fault seen = null;
        long budget = Long.MAX_VALUE;
        try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int offset = 0;
                while (offset < n) {
                    Fault now = awaitNotStalled();
                    if (now != seen) {
                        seen = now;
                        budget = now instanceof Fault.CutAfter(long replyBytes) ? replyBytes : Long.MAX_VALUE;
                    }
                    if (budget == 0) {
                        reset(client);
                        reset(upstream);
                        return;
                    }
                    int chunk = (int) Math.min(n - offset, budget);
                    out.write(buffer, offset, chunk);
                    out.flush();
                    offset += chunk;
                    if (budget != Long.MAX_VALUE) {
                        budget -= chunk;
                        if (budget == 0) {
                            // Cut right after the last allowed byte, so the client sees a reply torn there.
                            reset(client);
                            reset(upstream);
                            return;
                        }
                    }
                }
            }
            client.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            reset(client);
            reset(upstream);
        } finally {
            sockets.remove(upstream);
        }
    }

    /** Waits while a stall is in force and returns the fault that then applies. */
    private Fault awaitNotStalled() throws InterruptedException {
        synchronized (faultChanged) {
            while (!closed && fault instanceof Fault.Stall(long untilNanos)) {
                long left = untilNanos == Long.MAX_VALUE ? 0 : untilNanos - System.nanoTime();
                if (untilNanos != Long.MAX_VALUE && left <= 0) {
                    fault = new Fault.PassThrough();
                    break;
                }
                // wait(0) waits until notified; a timed stall wakes at its deadline.
                long millis = untilNanos == Long.MAX_VALUE ? 0 : Math.max(1, Duration.ofNanos(left).toMillis());
                faultChanged.wait(millis);
            }
            return fault;
        }
    }

    private void reset(Socket socket) {
        sockets.remove(socket);
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // Not connected yet or already closed: a plain close is all that is left.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing twice or after a reset is harmless.
        }
    }

    @Override
    public String toString() {
        SocketAddress local = server.getLocalSocketAddress();
        return "FaultProxy[" + local + " -> " + target + ", " + fault + "]";
    }
}
