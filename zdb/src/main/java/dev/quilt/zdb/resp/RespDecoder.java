package dev.quilt.zdb.resp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes requests: RESP arrays of bulk strings, as 0-db accepts them.
 *
 * <p><b>Resumable.</b> {@link #decode} consumes only what completes a step of the state machine and returns
 * {@code null} when it needs more bytes, keeping its position in {@link State}; feed it the same
 * (cumulated) buffer again once more bytes arrived. A bulk payload is copied out only once all of it has
 * arrived, so nothing is ever sized from a declared length that was not received.
 *
 * <p><b>Limits</b> ({@link RespLimits}) are checked before anything is allocated:
 * <ul>
 *   <li>CR and LF bytes between requests are skipped (Redis does; 0-db closes the connection);</li>
 *   <li>no leading {@code *} (an inline command): {@code Malformed request, array expected}, close;</li>
 *   <li>{@code *0}: {@code Missing arguments}, the stream stays usable;</li>
 *   <li>more than {@code maxArguments}: the rest of the request is skipped without being stored, then
 *       {@code Too many arguments}, the stream stays usable;</li>
 *   <li>a {@code $len} beyond {@code maxBulkLength} (or the request total beyond {@code maxRequestBytes}):
 *       {@code Payload too big}, close;</li>
 *   <li>an element that is not a bulk string, a bad number or a missing CRLF: {@code Malformed query string},
 *       close.</li>
 * </ul>
 * After an error the decoder is reset and ready for the next request.
 *
 * <p><b>Fast path.</b> A request that lies whole within the first {@value #WINDOW} readable bytes, in the plain
 * form clients send (decimal lengths without sign, every limit kept), is decoded from one bulk copy of those
 * bytes instead of byte by byte through the buffer. Anything else, including everything the decoder refuses,
 * takes the state machine, so both give the same result for every input (a property test holds them to it).
 *
 * <p>Not thread-safe: one instance per connection.
 */
public final class RespDecoder {

    /** Where the decoder is inside the current request. */
    enum State {
        /** expecting {@code *argc\r\n} */
        ARRAY_HEADER,
        /** expecting {@code $len\r\n} of the next argument */
        BULK_HEADER,
        /** expecting {@code len} bytes plus CRLF */
        BULK_DATA,
        /** too many arguments: expecting the next {@code $len\r\n} to skip */
        SKIP_HEADER,
        /** too many arguments: skipping payload bytes and CRLF */
        SKIP_DATA
    }

    private static final long NEED_MORE = Long.MIN_VALUE;

    /** Bytes the fast path looks at: more than a GET, a small SET or a pipelined burst of them needs. */
    static final int WINDOW = 512;
    /** Digits a fast-path length may have: 999,999,999 is beyond every limit, so no overflow check is needed. */
    private static final int MAX_FAST_DIGITS = 9;

    private final RespLimits limits;
    private final boolean fastPath;
    private final byte[] window = new byte[WINDOW];
    private State state = State.ARRAY_HEADER;
    private long remainingArgs;
    private List<byte[]> args;
    private int bulkLength;
    private long skipBytes;
    private long requestBytes;

    public RespDecoder(RespLimits limits) {
        this(limits, true);
    }

    /** With {@code fastPath} false every request takes the state machine; tests compare the two. */
    RespDecoder(RespLimits limits, boolean fastPath) {
        this.limits = limits;
        this.fastPath = fastPath;
    }

    /** Decoder with 0-db's limits. */
    public RespDecoder() {
        this(RespLimits.ZDB);
    }

    State state() {
        return state;
    }

    /** Forgets any partial request (for example after the connection dropped). */
    public void reset() {
        state = State.ARRAY_HEADER;
        remainingArgs = 0;
        args = null;
        bulkLength = 0;
        skipBytes = 0;
        requestBytes = 0;
    }

    /**
     * Decodes the next complete request from {@code in}.
     *
     * @return the request's arguments (at least one), or {@code null} when more bytes are needed
     * @throws RespProtocolException when the input breaks the protocol or a limit; the decoder is reset
     */
    public List<byte[]> decode(ByteBuf in) throws RespProtocolException {
        try {
            return step(in);
        } catch (RespProtocolException e) {
            reset();
            throw e;
        }
    }

    private List<byte[]> step(ByteBuf in) throws RespProtocolException {
        if (fastPath && state == State.ARRAY_HEADER) {
            List<byte[]> request = wholeRequest(in);
            if (request != null) {
                return request;
            }
        }
        while (true) {
            switch (state) {
                case ARRAY_HEADER -> {
                    // Empty lines between requests are skipped, as Redis does: redis-cli --pipe sends one.
                    while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                        in.skipBytes(1);
                    }
                    if (!in.isReadable()) {
                        return null;
                    }
                    if (in.getByte(in.readerIndex()) != '*') {
                        throw new RespProtocolException("Malformed request, array expected", true);
                    }
                    long argc = readNumber(in);
                    if (argc == NEED_MORE) {
                        return null;
                    }
                    if (argc <= 0) {
                        throw new RespProtocolException("Missing arguments", false);
                    }
                    remainingArgs = argc;
                    requestBytes = 0;
                    if (argc > limits.maxArguments()) {
                        state = State.SKIP_HEADER;
                    } else {
                        // Grown as arguments arrive; never sized from the declared count beyond a small cap.
                        args = new ArrayList<>((int) Math.min(argc, 16));
                        state = State.BULK_HEADER;
                    }
                }
                case BULK_HEADER, SKIP_HEADER -> {
                    if (!in.isReadable()) {
                        return null;
                    }
                    if (in.getByte(in.readerIndex()) != '$') {
                        throw new RespProtocolException("Malformed query string", true);
                    }
                    long length = readNumber(in);
                    if (length == NEED_MORE) {
                        return null;
                    }
                    if (length < 0) {
                        throw new RespProtocolException("Malformed query string", true);
                    }
                    if (length > limits.maxBulkLength()) {
                        throw new RespProtocolException("Payload too big", true);
                    }
                    if (state == State.SKIP_HEADER) {
                        skipBytes = length + 2;
                        state = State.SKIP_DATA;
                    } else {
                        requestBytes += length;
                        if (requestBytes > limits.maxRequestBytes()) {
                            throw new RespProtocolException("Payload too big", true);
                        }
                        bulkLength = (int) length;
                        state = State.BULK_DATA;
                    }
                }
                case BULK_DATA -> {
                    if (in.readableBytes() < bulkLength + 2) {
                        return null;
                    }
                    int end = in.readerIndex() + bulkLength;
                    if (in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
                        throw new RespProtocolException("Malformed query string", true);
                    }
                    byte[] arg = new byte[bulkLength];
                    in.readBytes(arg);
                    in.skipBytes(2);
                    args.add(arg);
                    if (--remainingArgs == 0) {
                        List<byte[]> request = args;
                        reset();
                        return request;
                    }
                    state = State.BULK_HEADER;
                }
                case SKIP_DATA -> {
                    int n = (int) Math.min(skipBytes, in.readableBytes());
                    in.skipBytes(n);
                    skipBytes -= n;
                    if (skipBytes > 0) {
                        return null;
                    }
                    if (--remainingArgs == 0) {
                        throw new RespProtocolException("Too many arguments", false);
                    }
                    state = State.SKIP_HEADER;
                }
            }
        }
    }

    /**
     * The next request, consumed, when all of it lies within the first {@link #WINDOW} readable bytes and it
     * is well-formed within every limit; otherwise {@code null} with nothing consumed.
     */
    private List<byte[]> wholeRequest(ByteBuf in) {
        int n = Math.min(in.readableBytes(), WINDOW);
        if (n < 4) {
            return null;
        }
        byte[] w = window;
        in.getBytes(in.readerIndex(), w, 0, n);
        if (w[0] != '*') {
            return null;
        }
        long header = fastNumber(w, 1, n);
        if (header < 0) {
            return null;
        }
        long argc = header >>> 32;
        if (argc == 0 || argc > limits.maxArguments()) {
            return null;
        }
        int p = (int) header;
        List<byte[]> request = new ArrayList<>((int) Math.min(argc, 16));
        long total = 0;
        for (long i = 0; i < argc; i++) {
            if (p >= n || w[p] != '$') {
                return null;
            }
            long bulk = fastNumber(w, p + 1, n);
            if (bulk < 0) {
                return null;
            }
            long length = bulk >>> 32;
            p = (int) bulk;
            total += length;
            if (length > limits.maxBulkLength() || total > limits.maxRequestBytes() || p + length + 2 > n) {
                return null;
            }
            int end = p + (int) length;
            if (w[end] != '\r' || w[end + 1] != '\n') {
                return null;
            }
            request.add(Arrays.copyOfRange(w, p, end));
            p = end + 2;
        }
        in.skipBytes(p);
        return request;
    }

    /**
     * Parses 1 to {@link #MAX_FAST_DIGITS} decimal digits and a CRLF at {@code w[from..n)}: returns the value
     * in the high 32 bits and the index after the LF in the low 32 bits, or -1 for anything else.
     */
    private static long fastNumber(byte[] w, int from, int n) {
        long value = 0;
        int p = from;
        while (p < n && p - from < MAX_FAST_DIGITS && w[p] >= '0' && w[p] <= '9') {
            value = value * 10 + (w[p] - '0');
            p++;
        }
        if (p == from || p + 1 >= n || w[p] != '\r' || w[p + 1] != '\n') {
            return -1;
        }
        return value << 32 | (p + 2);
    }

    /**
     * Reads {@code <type char><decimal>\r\n}; returns {@link #NEED_MORE} without consuming when the line is
     * incomplete. Values with more digits than fit are clamped to {@link Long#MAX_VALUE}.
     */
    private long readNumber(ByteBuf in) throws RespProtocolException {
        int start = in.readerIndex();
        int scan = Math.min(in.readableBytes(), limits.maxLineLength() + 2);
        int lf = in.indexOf(start, start + scan, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > limits.maxLineLength() + 1) {
                throw new RespProtocolException("Malformed query string", true);
            }
            return NEED_MORE;
        }
        int cr = lf - 1;
        if (cr <= start || in.getByte(cr) != '\r') {
            throw new RespProtocolException("Malformed query string", true);
        }
        int i = start + 1;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            i++;
        }
        if (i == cr) {
            throw new RespProtocolException("Malformed query string", true);
        }
        long value = 0;
        for (; i < cr; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                throw new RespProtocolException("Malformed query string", true);
            }
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (b - '0');
        }
        in.readerIndex(lf + 1);
        return negative ? -value : value;
    }
}
