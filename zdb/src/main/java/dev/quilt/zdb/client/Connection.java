package dev.quilt.zdb.client;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection to a server: a socket, its reply reader and the session state applied to it.
 *
 * <p>Not thread-safe: a connection belongs to one caller between {@link ConnectionPool#borrow} and
 * {@link ConnectionPool#release}. Any {@link IOException} leaves the reply stream out of step with the
 * requests, so the caller must then drop the connection.
 */
final class Connection implements Closeable {
    /** Batches larger than this are written from a second thread while replies are read (see pipeline). */
    private static final int INLINE_WRITE_LIMIT = 64 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final RespReader reader;
    private final RespWriter writer = new RespWriter();
    private final String peer;
    /** The session last applied with AUTH/SELECT; compared by identity with the client's current one. */
    Session session;

    private Connection(Socket socket, String peer) throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.out = socket.getOutputStream();
        this.reader = new RespReader(new BufferedInputStream(socket.getInputStream(), 16 * 1024), peer);
    }

    static Connection open(InetSocketAddress address, Duration connectTimeout, Duration readTimeout) throws IOException {
        String peer = address.getHostString() + ":" + address.getPort();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            socket.connect(address, Math.toIntExact(connectTimeout.toMillis()));
            return new Connection(socket, peer);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + peer + ": " + e.getMessage(), e);
        }
    }

    String peer() {
        return peer;
    }

    /** Sends one command and reads its reply. */
    Object call(byte[]... args) throws IOException {
        out.write(writer.command(args).drain());
        out.flush();
        return reader.read();
    }

    /**
     * Sends all commands in one write and reads as many replies. A large batch is written by a virtual
     * thread while this one reads, so neither side can stall on a full socket buffer.
     */
    List<Object> pipeline(List<byte[][]> commands) throws IOException {
        for (byte[][] command : commands) {
            writer.command(command);
        }
        byte[] batch = writer.drain();
        Thread sender = null;
        IOException[] sendFailure = new IOException[1];
        if (batch.length <= INLINE_WRITE_LIMIT) {
            out.write(batch);
            out.flush();
        } else {
            sender = Thread.ofVirtual().name("zdb-pipeline-writer").start(() -> {
                try {
                    out.write(batch);
                    out.flush();
                } catch (IOException e) {
                    sendFailure[0] = e;
                }
            });
        }
        List<Object> replies = new ArrayList<>(commands.size());
        try {
            for (int i = 0; i < commands.size(); i++) {
                replies.add(reader.read());
            }
        } catch (IOException | RuntimeException e) {
            // the writer may be blocked on a peer that stopped reading; closing the socket releases it
            close();
            throw e;
        } finally {
            if (sender != null) {
                joinUninterruptibly(sender);
            }
        }
        if (sendFailure[0] != null) {
            throw sendFailure[0];
        }
        return replies;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
