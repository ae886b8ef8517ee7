package dev.quilt.zdb.server;

import dev.quilt.zdb.resp.RespEncoder;
import dev.quilt.zdb.resp.RespReplyDecoder;
import dev.quilt.zdb.resp.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw socket client for tests: sends bytes, returns each reply's exact bytes. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuf received = Unpooled.buffer();
    private final RespReplyDecoder decoder = new RespReplyDecoder();

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendRaw(String text) throws IOException {
        sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(Object... args) throws IOException {
        List<byte[]> encoded = new ArrayList<>();
        for (Object arg : args) {
            encoded.add(arg instanceof byte[] b ? b : String.valueOf(arg).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuf buf = Unpooled.buffer();
        RespEncoder.writeRequest(encoded, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        sendRaw(bytes);
    }

    /** The next reply's exact bytes, as ISO-8859-1 text. */
    String reply() throws Exception {
        return new String(replyBytes(), StandardCharsets.ISO_8859_1);
    }

    byte[] replyBytes() throws Exception {
        while (true) {
            int start = received.readerIndex();
            RespValue value = decoder.decode(received);
            if (value != null) {
                byte[] raw = new byte[received.readerIndex() - start];
                received.getBytes(start, raw);
                received.discardReadBytes();
                return raw;
            }
            if (!fill()) {
                throw new IOException("connection closed before a complete reply");
            }
        }
    }

    RespValue value() throws Exception {
        while (true) {
            RespValue value = decoder.decode(received);
            if (value != null) {
                return value;
            }
            if (!fill()) {
                throw new IOException("connection closed before a complete reply");
            }
        }
    }

    byte[] replyBytesOf(Object... args) throws Exception {
        send(args);
        return replyBytes();
    }

    String call(Object... args) throws Exception {
        send(args);
        return reply();
    }

    /** True when the server closed the connection (after any pending replies were read). */
    boolean closedByServer() throws IOException {
        try {
            return !fill() && !received.isReadable();
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** True once reply bytes arrived (buffered here or in the socket), without blocking. */
    boolean hasReplyPending() throws IOException {
        return received.isReadable() || in.available() > 0;
    }

    boolean hasBufferedBytes() {
        return received.isReadable();
    }

    private boolean fill() throws IOException {
        byte[] chunk = new byte[65536];
        int n;
        try {
            n = in.read(chunk);
        } catch (java.net.SocketException e) {
            return false;
        }
        if (n < 0) {
            return false;
        }
        received.writeBytes(chunk, 0, n);
        return true;
    }

    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
