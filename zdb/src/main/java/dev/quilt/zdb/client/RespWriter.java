package dev.quilt.zdb.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes commands as RESP2 arrays of bulk strings, the only request form 0-db accepts
 * ({@code *N\r\n$len\r\narg\r\n...}), into one buffer so a command or a whole pipeline leaves in one write.
 *
 * <p>Not thread-safe.
 */
final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);

    RespWriter command(byte[]... args) {
        header('*', args.length);
        for (byte[] arg : args) {
            header('$', arg.length);
            buffer.writeBytes(arg);
            buffer.writeBytes(CRLF);
        }
        return this;
    }

    int size() {
        return buffer.size();
    }

    /** The encoded bytes; the writer is empty afterwards. */
    byte[] drain() {
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        return bytes;
    }

    private void header(char type, int n) {
        buffer.write(type);
        buffer.writeBytes(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        buffer.writeBytes(CRLF);
    }
}
