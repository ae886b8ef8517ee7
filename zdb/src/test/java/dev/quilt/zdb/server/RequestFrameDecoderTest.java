package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zdb.command.ServerStats;
import dev.quilt.zdb.resp.RespLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFrameDecoderTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void releasesAPartialValueWhenTheClientDisconnects() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestFrameDecoder(RespLimits.ZDB, new ServerStats()));
        ByteBuf first = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc");
        ByteBuf second = bytes("defgh");
        channel.writeInbound(first);
        channel.writeInbound(second);
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
    }

    @Test
    void emitsEveryPipelinedRequestOfOneRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestFrameDecoder(RespLimits.ZDB, new ServerStats()));
        channel.writeInbound(bytes("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*0\r\n"));
        assertThat((List<?>) channel.readInbound()).hasSize(1);
        assertThat((List<?>) channel.readInbound()).hasSize(2);
        assertThat((Object) channel.readInbound()).isEqualTo(new RequestFrameDecoder.ProtocolError("Missing arguments", false));
        channel.finishAndReleaseAll();
    }

    @Test
    void dropsEverythingAfterAnUnrecoverableError() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestFrameDecoder(RespLimits.ZDB, new ServerStats()));
        channel.writeInbound(bytes("PING\r\n*1\r\n$4\r\nPING\r\n"));
        assertThat((Object) channel.readInbound())
                .isEqualTo(new RequestFrameDecoder.ProtocolError("Malformed request, array expected", true));
        channel.writeInbound(bytes("*1\r\n$4\r\nPING\r\n"));
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
    }
}
