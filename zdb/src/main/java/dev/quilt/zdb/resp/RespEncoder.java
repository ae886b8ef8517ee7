package dev.quilt.zdb.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes RESP values and requests straight into a {@link ByteBuf}. Stateless. */
public final class RespEncoder {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NIL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NIL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);

    private RespEncoder() { }

    /** Appends {@code value} to {@code out}. */
    public static void write(RespValue value, ByteBuf out) {
        switch (value) {
            case RespValue.SimpleString s -> line('+', s.value(), out);
            case RespValue.Error e -> line('-', e.message(), out);
            case RespValue.Integer n -> number(':', n.value(), out);
            case RespValue.Bulk b -> bulk(b.bytes(), out);
            case RespValue.Array a -> {
                if (a.elements() == null) {
                    out.writeBytes(NIL_ARRAY);
                } else {
                    number('*', a.elements().size(), out);
                    for (RespValue element : a.elements()) {
                        write(element, out);
                    }
                }
            }
        }
    }

    /** Appends a request: an array of bulk strings. */
    public static void writeRequest(List<byte[]> args, ByteBuf out) {
        number('*', args.size(), out);
        for (byte[] arg : args) {
            bulk(arg, out);
        }
    }

    private static void bulk(byte[] bytes, ByteBuf out) {
        if (bytes == null) {
            out.writeBytes(NIL);
            return;
        }
        number('$', bytes.length, out);
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
    }

    private static void line(char type, String text, ByteBuf out) {
        out.writeByte(type);
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    private static void number(char type, long value, ByteBuf out) {
        out.writeByte(type);
        out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }
}
