package dev.quilt.zdb.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes replies (client side): any RESP2 value, arrays nested up to {@link RespLimits#maxDepth()}.
 *
 * <p>Resumable by rewinding: {@link #decode} either consumes one complete value or consumes nothing and
 * returns {@code null}. Replies are small next to the requests a server must defend against, so re-parsing
 * a partial reply when more bytes arrive is the simpler trade. Bulk payloads are copied only once complete,
 * and an array's declared size never pre-sizes a collection. Stateless apart from its limits; thread-safe.
 */
public final class RespReplyDecoder {

    private final RespLimits limits;

    public RespReplyDecoder(RespLimits limits) {
        this.limits = limits;
    }

    public RespReplyDecoder() {
        this(RespLimits.ZDB);
    }

    /**
     * @return the next complete value, or {@code null} (nothing consumed) when more bytes are needed
     * @throws RespProtocolException on malformed input or a broken limit; the stream cannot be re-synchronized
     */
    public RespValue decode(ByteBuf in) throws RespProtocolException {
        int start = in.readerIndex();
        RespValue value = value(in, 0);
        if (value == null) {
            in.readerIndex(start);
        }
        return value;
    }

    private RespValue value(ByteBuf in, int depth) throws RespProtocolException {
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        char type = line.charAt(0);
        String rest = line.substring(1);
        return switch (type) {
            case '+' -> new RespValue.SimpleString(rest);
            case '-' -> new RespValue.Error(rest);
            case ':' -> new RespValue.Integer(parse(rest));
            case '$' -> {
                long length = parse(rest);
                if (length == -1) {
                    yield RespValue.NIL;
                }
                if (length < 0 || length > limits.maxBulkLength()) {
                    throw new RespProtocolException("bulk length: " + length + " (expected: -1..." + limits.maxBulkLength() + ")", true);
                }
                if (in.readableBytes() < length + 2) {
                    yield null;
                }
                int end = in.readerIndex() + (int) length;
                if (in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
                    throw new RespProtocolException("bulk string not terminated by CRLF", true);
                }
                byte[] bytes = new byte[(int) length];
                in.readBytes(bytes);
                in.skipBytes(2);
                yield new RespValue.Bulk(bytes);
            }
            case '*' -> {
                long count = parse(rest);
                if (count == -1) {
                    yield new RespValue.Array(null);
                }
                if (count < 0) {
                    throw new RespProtocolException("array length: " + count + " (expected: >= -1)", true);
                }
                if (depth >= limits.maxDepth()) {
                    throw new RespProtocolException("array depth: " + (depth + 1) + " (expected: <= " + limits.maxDepth() + ")", true);
                }
                // Every element takes at least 3 bytes: more than that cannot have arrived yet.
                if (count > in.readableBytes() / 3) {
                    yield null;
                }
                List<RespValue> elements = new ArrayList<>((int) Math.min(count, 64));
                for (long i = 0; i < count; i++) {
                    RespValue element = value(in, depth + 1);
                    if (element == null) {
                        yield null;
                    }
                    elements.add(element);
                }
                yield new RespValue.Array(elements);
            }
            default -> throw new RespProtocolException("unknown reply type: 0x" + Integer.toHexString(type & 0xff), true);
        };
    }

    private String readLine(ByteBuf in) throws RespProtocolException {
        int start = in.readerIndex();
        int scan = Math.min(in.readableBytes(), limits.maxLineLength() + 2);
        int lf = in.indexOf(start, start + scan, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > limits.maxLineLength() + 1) {
                throw new RespProtocolException("reply line longer than " + limits.maxLineLength() + " bytes", true);
            }
            return null;
        }
        if (lf == start || in.getByte(lf - 1) != '\r' || lf - 1 == start) {
            throw new RespProtocolException("reply line not terminated by CRLF", true);
        }
        String line = in.toString(start, lf - 1 - start, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        return line;
    }

    private static long parse(String digits) throws RespProtocolException {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new RespProtocolException("not a number: " + digits, true);
        }
    }
}
