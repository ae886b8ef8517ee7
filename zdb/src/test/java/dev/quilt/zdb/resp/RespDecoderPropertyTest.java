package dev.quilt.zdb.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RespDecoderPropertyTest {

    /** What the decoder may refuse with; anything else escaping it is a bug. */
    private static final Set<String> DOCUMENTED = Set.of("Malformed request, array expected", "Missing arguments",
            "Too many arguments", "Payload too big", "Malformed query string");

    private static final RespLimits SMALL = new RespLimits(64, 8, 32, 256, 4);

    @Provide
    Arbitrary<List<List<byte[]>>> requests() {
        Arbitrary<byte[]> arg = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return arg.list().ofMinSize(1).ofMaxSize(20).list().ofMinSize(1).ofMaxSize(5);
    }

    private static byte[] encode(List<List<byte[]>> requests) {
        ByteBuf buf = Unpooled.buffer();
        for (List<byte[]> request : requests) {
            RespEncoder.writeRequest(request, buf);
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    /** Feeds chunks into one cumulation buffer the way Netty does, decoding after each chunk. */
    private static List<List<byte[]>> decodeInChunks(byte[] bytes, List<Integer> cuts) throws RespProtocolException {
        RespDecoder decoder = new RespDecoder();
        ByteBuf cumulation = Unpooled.buffer();
        List<List<byte[]>> out = new ArrayList<>();
        int from = 0;
        List<Integer> points = new ArrayList<>(cuts);
        points.add(bytes.length);
        for (int to : points) {
            to = Math.max(from, Math.min(to, bytes.length));
            cumulation.writeBytes(bytes, from, to - from);
            from = to;
            List<byte[]> request;
            while ((request = decoder.decode(cumulation)) != null) {
                out.add(request);
            }
            cumulation.discardReadBytes();
        }
        assertThat(cumulation.readableBytes()).isZero();
        return out;
    }

    private static void assertSameRequests(List<List<byte[]>> actual, List<List<byte[]>> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).hasSameSizeAs(expected.get(i));
            for (int j = 0; j < expected.get(i).size(); j++) {
                assertThat(actual.get(i).get(j)).isEqualTo(expected.get(i).get(j));
            }
        }
    }

    @Property
    void decodesRequestsFedWhole(@ForAll("requests") List<List<byte[]>> requests) throws Exception {
        assertSameRequests(decodeInChunks(encode(requests), List.of()), requests);
    }

    @Property(tries = 200)
    void decodesRequestsFedOneByteAtATime(@ForAll("requests") List<List<byte[]>> requests) throws Exception {
        byte[] bytes = encode(requests);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < bytes.length; i++) {
            cuts.add(i);
        }
        assertSameRequests(decodeInChunks(bytes, cuts), requests);
    }

    @Property
    void decodesRequestsSplitAtRandomPoints(@ForAll("requests") List<List<byte[]>> requests,
                                            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 4000) Integer> cuts)
            throws Exception {
        List<Integer> sorted = new ArrayList<>(cuts);
        sorted.sort(null);
        assertSameRequests(decodeInChunks(encode(requests), sorted), requests);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> respish = Arbitraries.of("*", "$", "\r\n", "\r", "\n", "-1", "0", "3", "99999999999999999999",
                        "65", "9", "+OK", ":1", "abc", "*2\r\n", "$3\r\nfoo\r\n", "$-1\r\n", "*0\r\n")
                .list().ofMaxSize(30)
                .map(parts -> String.join("", parts).getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.oneOf(random, respish);
    }

    @Property
    void garbageOnlyEverFailsWithDocumentedErrorsAndWithinLimits(@ForAll("garbage") byte[] bytes) {
        RespDecoder decoder = new RespDecoder(SMALL);
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        for (int steps = 0; steps < 1000 && in.isReadable(); steps++) {
            int before = in.readerIndex();
            try {
                List<byte[]> request = decoder.decode(in);
                if (request == null) {
                    break;
                }
                assertThat(request).isNotEmpty().hasSizeLessThanOrEqualTo(SMALL.maxArguments());
                long total = 0;
                for (byte[] arg : request) {
                    assertThat(arg.length).isLessThanOrEqualTo(SMALL.maxBulkLength());
                    total += arg.length;
                }
                assertThat(total).isLessThanOrEqualTo(SMALL.maxRequestBytes());
            } catch (RespProtocolException e) {
                assertThat(e.getMessage()).isIn(DOCUMENTED);
                assertThat(decoder.state()).isEqualTo(RespDecoder.State.ARRAY_HEADER);
                if (e.mustClose()) {
                    break;
                }
                assertThat(in.readerIndex()).isGreaterThan(before);
            }
        }
    }

    /** Everything {@code decoder} makes of {@code bytes} fed in the given chunks: requests, refusals, bytes left. */
    private static List<String> outcomes(RespDecoder decoder, byte[] bytes, List<Integer> cuts) {
        List<String> seen = new ArrayList<>();
        ByteBuf cumulation = Unpooled.buffer();
        int from = 0;
        List<Integer> points = new ArrayList<>(cuts);
        points.sort(null);
        points.add(bytes.length);
        feed:
        for (int to : points) {
            to = Math.max(from, Math.min(to, bytes.length));
            cumulation.writeBytes(bytes, from, to - from);
            from = to;
            for (int steps = 0; steps < 1000 && cumulation.isReadable(); steps++) {
                try {
                    List<byte[]> request = decoder.decode(cumulation);
                    if (request == null) {
                        break;
                    }
                    seen.add(request.stream().map(HexFormat.of()::formatHex).toList().toString());
                } catch (RespProtocolException e) {
                    seen.add("-" + e.getMessage() + (e.mustClose() ? " (close)" : ""));
                    if (e.mustClose()) {
                        break feed;
                    }
                }
            }
            cumulation.discardReadBytes();
        }
        seen.add("left " + cumulation.readableBytes());
        return seen;
    }

    @Provide
    Arbitrary<byte[]> wireInput() {
        Arbitrary<byte[]> valid = requests().map(RespDecoderPropertyTest::encode);
        Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 1000),
                Arbitraries.bytes()).as((bytes, at, value) -> {
                    byte[] copy = bytes.clone();
                    copy[at % copy.length] = value;
                    return copy;
                });
        return Arbitraries.oneOf(valid, mutated, garbage());
    }

    @Property
    void fastPathDecodesExactlyAsTheStateMachine(@ForAll("wireInput") byte[] bytes,
                                                 @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 2000) Integer> cuts,
                                                 @ForAll boolean smallLimits) {
        RespLimits limits = smallLimits ? SMALL : RespLimits.ZDB;
        assertThat(outcomes(new RespDecoder(limits, true), bytes, cuts))
                .isEqualTo(outcomes(new RespDecoder(limits, false), bytes, cuts));
    }

    @Property(tries = 200)
    void fastPathKeepsEveryLimit(@ForAll @IntRange(min = 1, max = 12) int argc,
                                 @ForAll @IntRange(min = 0, max = 80) int length) {
        List<byte[]> request = new ArrayList<>();
        for (int i = 0; i < argc; i++) {
            request.add(new byte[length]);
        }
        ByteBuf in = Unpooled.buffer();
        RespEncoder.writeRequest(request, in);
        byte[] bytes = new byte[in.readableBytes()];
        in.readBytes(bytes);
        List<String> fast = outcomes(new RespDecoder(SMALL, true), bytes, List.of());
        assertThat(fast).isEqualTo(outcomes(new RespDecoder(SMALL, false), bytes, List.of()));
        boolean withinLimits = argc <= SMALL.maxArguments() && length <= SMALL.maxBulkLength()
                && (long) argc * length <= SMALL.maxRequestBytes();
        assertThat(fast.getFirst().startsWith("-")).isEqualTo(!withinLimits);
    }

    @Property
    void refusesOversizeBulkBeforeItsPayloadArrives(@ForAll @IntRange(min = 65, max = Integer.MAX_VALUE) int length) {
        RespDecoder decoder = new RespDecoder(SMALL);
        // Only the header arrives: the refusal cannot depend on (or allocate for) the payload.
        ByteBuf in = Unpooled.copiedBuffer("*2\r\n$3\r\nSET\r\n$" + length + "\r\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> decoder.decode(in))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Payload too big")
                .matches(e -> ((RespProtocolException) e).mustClose());
    }

    @Property(tries = 50)
    void skipsEveryArgumentOfAnOversizeArrayThenStaysUsable(@ForAll @IntRange(min = 9, max = 40) int argc) throws Exception {
        RespDecoder decoder = new RespDecoder(SMALL);
        List<byte[]> tooMany = new ArrayList<>();
        for (int i = 0; i < argc; i++) {
            tooMany.add(new byte[] {'x'});
        }
        ByteBuf in = Unpooled.buffer();
        RespEncoder.writeRequest(tooMany, in);
        RespEncoder.writeRequest(List.of("PING".getBytes(StandardCharsets.US_ASCII)), in);
        assertThatThrownBy(() -> decoder.decode(in)).hasMessage("Too many arguments");
        assertThat(decoder.decode(in)).singleElement().isEqualTo("PING".getBytes(StandardCharsets.US_ASCII));
    }
}
