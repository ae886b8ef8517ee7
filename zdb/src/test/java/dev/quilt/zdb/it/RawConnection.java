package dev.quilt.zdb.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest RESP client there is, independent of the project's own client and codec, so a test
 * through it checks the server against the protocol rather than against our reading of it.
 * Replies come back as their raw first line plus bulk payload.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends one request; returns a bulk reply's payload, or the line of any other reply. */
    byte[] call(byte[]... args) throws IOException {
        send(args);
        return read();
    }

    void send(byte[]... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
    }

    /** A bulk reply's payload ({@code null} for nil); for other replies the whole line, type byte included. */
    byte[] read() throws IOException {
        String line = line();
        if (line.startsWith("$")) {
            int n = Integer.parseInt(line.substring(1));
            if (n < 0) {
                return null;
            }
            byte[] v = in.readNBytes(n);
            if (v.length != n || in.read() != '\r' || in.read() != '\n') {
                throw new EOFException("connection closed inside a bulk reply");
            }
            return v;
        }
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
