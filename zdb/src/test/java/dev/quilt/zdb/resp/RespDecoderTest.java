package dev.quilt.zdb.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespDecoderTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void skipsEmptyLinesBetweenRequestsAsRedisDoes() throws Exception {
        RespDecoder decoder = new RespDecoder();
        var in = bytes("\r\n*1\r\n$4\r\nPING\r\n\r\n\n*1\r\n$4\r\nECHO\r\n\r\n");
        assertThat(decoder.decode(in)).singleElement().isEqualTo("PING".getBytes(StandardCharsets.US_ASCII));
        assertThat(decoder.decode(in)).singleElement().isEqualTo("ECHO".getBytes(StandardCharsets.US_ASCII));
        assertThat(decoder.decode(in)).isNull();
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void refusesAnInlineCommandAndAsksToClose() {
        assertThatThrownBy(() -> new RespDecoder().decode(bytes("PING\r\n")))
                .hasMessage("Malformed request, array expected")
                .matches(e -> ((RespProtocolException) e).mustClose());
    }

    @Test
    void answersAnEmptyArrayWithMissingArgumentsAndContinues() throws Exception {
        RespDecoder decoder = new RespDecoder();
        ByteBuf in = bytes("*0\r\n*1\r\n$4\r\nPING\r\n");
        assertThatThrownBy(() -> decoder.decode(in)).hasMessage("Missing arguments")
                .matches(e -> !((RespProtocolException) e).mustClose());
        assertThat(decoder.decode(in)).hasSize(1);
    }

    @Test
    void refusesAnElementThatIsNotABulkString() {
        assertThatThrownBy(() -> new RespDecoder().decode(bytes("*1\r\n:1\r\n"))).hasMessage("Malformed query string");
    }

    @Test
    void refuses8MiBPlusOneFromTheHeaderAlone() {
        assertThatThrownBy(() -> new RespDecoder().decode(bytes("*2\r\n$3\r\nGET\r\n$8388609\r\n")))
                .hasMessage("Payload too big");
    }

    @Test
    void waitsForTheWholePayloadBeforeCopyingIt() throws Exception {
        RespDecoder decoder = new RespDecoder();
        ByteBuf in = bytes("*1\r\n$8388608\r\n");
        assertThat(decoder.decode(in)).isNull();
        assertThat(decoder.state()).isEqualTo(RespDecoder.State.BULK_DATA);
    }

    @Test
    void decodesEmptyAndBinaryArguments() throws Exception {
        List<byte[]> request = new RespDecoder().decode(bytes("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$2\r\n\r\n\r\n"));
        assertThat(request).hasSize(3);
        assertThat(request.get(1)).isEmpty();
        assertThat(request.get(2)).containsExactly('\r', '\n');
    }

    @Test
    void replyDecoderReadsNestedScanReplyOnlyOnceComplete() throws Exception {
        ByteBuf out = Unpooled.buffer();
        RespValue scan = RespValue.array(RespValue.bulk("cursor"),
                RespValue.array(RespValue.array(RespValue.bulk("k"), RespValue.integer(3), RespValue.integer(17))));
        RespEncoder.write(scan, out);
        ByteBuf partial = out.copy(0, out.readableBytes() - 1);
        RespReplyDecoder decoder = new RespReplyDecoder();
        assertThat(decoder.decode(partial)).isNull();
        assertThat(partial.readerIndex()).isZero();
        assertThat(decoder.decode(out)).isEqualTo(scan);
    }
}
