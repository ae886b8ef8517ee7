package dev.quilt.zstor.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's control socket: a UNIX domain socket (the JDK's {@link SocketChannel}, no native library),
 * one virtual thread per connection, requests answered by a {@link Handler} that may block (a retrieval).
 *
 * <p>A socket file left by a daemon that was killed is replaced at start, unless a live daemon still answers on
 * it (0-stor_v2 would not start after a {@code kill -9} because of its stale socket: zos#1532). The socket is
 * made accessible to its owner only: whoever can write to it can make the daemon retrieve files.
 */
final class ControlSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSocketServer.class);

    /** Answers one request; may block. */
    @FunctionalInterface
    interface Handler {
        ControlFrames.Reply handle(List<String> fields);
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private ControlSocketServer(Path path, ServerSocketChannel server, Handler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.acceptor = Thread.ofVirtual().name("zstor-control-accept").unstarted(this::acceptLoop);
    }

    static ControlSocketServer start(Path path, Handler handler) throws IOException {
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException("control socket " + path + " is in use by a running daemon");
            }
            Files.delete(path); // left behind by a daemon that did not shut down
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            server.close();
            throw e instanceof IOException io ? io : new IOException("cannot bind control socket " + path, e);
        }
        ControlSocketServer control = new ControlSocketServer(path, server, handler);
        control.acceptor.start();
        return control;
    }

    Path path() {
        return path;
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                open.add(channel);
                Thread.ofVirtual().name("zstor-control").start(() -> serve(channel));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.atWarn().addKeyValue("socket", path).setCause(e).log("event=control_accept_failed");
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            List<String> fields;
            while ((fields = ControlFrames.readRequest(channel)) != null) {
                ControlFrames.Reply reply;
                try {
                    reply = handler.handle(fields);
                } catch (RuntimeException e) {
                    LOG.atError().addKeyValue("request", fields).setCause(e).log("event=control_request_crashed");
                    reply = ControlFrames.Reply.failed("internal error: " + e);
                }
                ControlFrames.writeReply(channel, reply);
            }
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("error", e.getMessage()).log("event=control_connection_ended");
        } finally {
            open.remove(channel);
        }
    }

    /** Stops accepting, closes open connections (a hook waiting on one sees its request fail) and removes the socket. */
    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : open) {
            channel.close();
        }
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(path);
    }
}
