package dev.quilt.zdb.server;

import dev.quilt.zdb.command.ServerStats;
import dev.quilt.zdb.resp.RespDecoder;
import dev.quilt.zdb.resp.RespLimits;
import dev.quilt.zdb.resp.RespProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames requests out of the byte stream with {@link RespDecoder}: emits each request as a
 * {@code List<byte[]>}, and a {@link ProtocolError} for input the decoder refuses. After an error that
 * cannot be re-synchronized, every further byte is dropped (the connection is closing). Netty's cumulation
 * buffer is released when the channel goes away, so a peer that disconnects mid-value leaks nothing.
 *
 * <p>Confined to its channel's event loop.
 */
final class RequestFrameDecoder extends ByteToMessageDecoder {

    /** A refused request: reply {@code -message}, then close when {@code close}. */
    record ProtocolError(String message, boolean close) { }

    private final RespDecoder decoder;
    private final ServerStats stats;
    private boolean broken;

    RequestFrameDecoder(RespLimits limits, ServerStats stats) {
        this.decoder = new RespDecoder(limits);
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            stats.networkRxBytes.addAndGet(buf.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            List<byte[]> request = decoder.decode(in);
            if (request != null) {
                out.add(request);
            }
        } catch (RespProtocolException e) {
            stats.protocolErrors.incrementAndGet();
            out.add(new ProtocolError(e.getMessage(), e.mustClose()));
            if (e.mustClose()) {
                broken = true;
                in.skipBytes(in.readableBytes());
            }
        }
    }
}
