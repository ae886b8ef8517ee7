package dev.quilt.zstor.daemon;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The control socket's wire format: length-prefixed frames, one request and one reply per exchange.
 *
 * <pre>
 * frame   = length:u32 big-endian, then length bytes (at most {@value #MAX_FRAME} bytes)
 * request = fields joined by NUL (0x00), UTF-8: "hook" NUL event NUL instance-id (NUL arg)*, "ping",
 *           "store" NUL key NUL file, "retrieve" NUL key NUL file, or "status"
 * reply   = status:u8 (0 ok, 1 failed, 2 bad request, 3 no such object), then a UTF-8 message for a
 *           person to read, or for the command line's requests a payload ({@link ControlReplies})
 * </pre>
 *
 * <p>NUL cannot occur in a path or an event name, so fields need no escaping; a length prefix means a reader
 * never guesses where a message ends. A connection may carry several exchanges.
 */
final class ControlFrames {
    static final int MAX_FRAME = 64 * 1024;

    static final byte OK = 0;
    static final byte FAILED = 1;
    static final byte BAD_REQUEST = 2;
    /** The object asked for does not exist (a command line maps it to its exit code for a wrong key). */
    static final byte NOT_FOUND = 3;

    /** A reply: {@link #OK}, {@link #FAILED} or {@link #BAD_REQUEST}, and why. */
    record Reply(byte status, String message) {
        static Reply ok(String message) {
            return new Reply(OK, message);
        }

        static Reply failed(String message) {
            return new Reply(FAILED, message);
        }

        static Reply badRequest(String message) {
            return new Reply(BAD_REQUEST, message);
        }

        static Reply notFound(String message) {
            return new Reply(NOT_FOUND, message);
        }
    }

    private ControlFrames() { }

    /** Connects to the daemon at {@code socket}, sends one request and returns its reply. */
    static Reply exchange(Path socket, List<String> fields) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            writeRequest(channel, fields);
            return readReply(channel);
        }
    }

    static void writeRequest(ByteChannel channel, List<String> fields) throws IOException {
        writeFrame(channel, String.join("\0", fields).getBytes(StandardCharsets.UTF_8));
    }

    /** The next request's fields, or null at a clean end of stream. */
    static List<String> readRequest(ByteChannel channel) throws IOException {
        byte[] frame = readFrame(channel);
        if (frame == null) {
            return null;
        }
        return new ArrayList<>(Arrays.asList(new String(frame, StandardCharsets.UTF_8).split("\0", -1)));
    }

    static void writeReply(ByteChannel channel, Reply reply) throws IOException {
        byte[] message = reply.message().getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[1 + Math.min(message.length, MAX_FRAME - 1)];
        frame[0] = reply.status();
        System.arraycopy(message, 0, frame, 1, frame.length - 1);
        writeFrame(channel, frame);
    }

    static Reply readReply(ByteChannel channel) throws IOException {
        byte[] frame = readFrame(channel);
        if (frame == null || frame.length == 0) {
            throw new EOFException("the daemon closed the connection without a reply");
        }
        return new Reply(frame[0], new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8));
    }

    private static void writeFrame(ByteChannel channel, byte[] payload) throws IOException {
        if (payload.length > MAX_FRAME) {
            throw new IOException("control frame of " + payload.length + " bytes (expected: <= " + MAX_FRAME + ")");
        }
        ByteBuffer buffer = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] readFrame(ByteChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        if (!fill(channel, header, true)) {
            return null;
        }
        int length = header.flip().getInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("control frame length " + Integer.toUnsignedString(length) + " (expected: <= " + MAX_FRAME + ")");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        fill(channel, body, false);
        return body.array();
    }

    /** Fills {@code buffer}; false when the stream ended before its first byte and {@code endOk}. */
    private static boolean fill(ByteChannel channel, ByteBuffer buffer, boolean endOk) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endOk && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("control connection ended in the middle of a frame");
            }
        }
        return true;
    }
}
