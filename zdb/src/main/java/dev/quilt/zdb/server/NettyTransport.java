package dev.quilt.zdb.server;

import dev.quilt.zdb.ZdbTransport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Netty pieces of one transport: the event loop's I/O handler and the listening channel types.
 *
 * <p>{@link ZdbTransport#AUTO} takes epoll, then io_uring, then NIO. io_uring cuts the system calls of fifty
 * clients at pipeline depth 1 from about 2.2 per request to 0.2-0.6 (reads and writes are submitted and reaped in
 * batches), but on the machines measured that bought no throughput, since the loopback socket work in the kernel
 * stays, and with {@code --sync} it lost more than half of it: the loop blocks in {@code fdatasync}, and io_uring
 * served about a third as many fsync rounds per second as epoll (docs/benchmarks.md). So it is there to choose,
 * not the default.
 *
 * @param label  the name logs use
 * @param io     the event loop's I/O handler, given how the loop waits for I/O ({@link BusyPoll}); io_uring
 *               waits its own way and ignores it
 * @param domain the unix-socket listener type; empty when the transport has none (NIO)
 */
record NettyTransport(String label, Function<SelectStrategyFactory, IoHandlerFactory> io,
                      Class<? extends ServerChannel> tcp, Optional<Class<? extends ServerChannel>> domain) {

    private static final NettyTransport IO_URING = new NettyTransport("io_uring",
            waiting -> IoUringIoHandler.newFactory(),
            IoUringServerSocketChannel.class, Optional.of(IoUringServerDomainSocketChannel.class));
    private static final NettyTransport EPOLL = new NettyTransport("epoll",
            waiting -> EpollIoHandler.newFactory(0, waiting),
            EpollServerSocketChannel.class, Optional.of(EpollServerDomainSocketChannel.class));
    private static final NettyTransport NIO = new NettyTransport("nio",
            waiting -> NioIoHandler.newFactory(SelectorProvider.provider(), waiting),
            NioServerSocketChannel.class, Optional.empty());

    /**
     * The transport to serve on: the one asked for, which must be available, or for {@link ZdbTransport#AUTO}
     * the one the {@value ZdbTransport#PROPERTY} system property names, else epoll, io_uring or NIO, the first
     * available.
     */
    static NettyTransport select(ZdbTransport requested) throws IOException {
        ZdbTransport wanted = requested;
        String pinned = System.getProperty(ZdbTransport.PROPERTY, "");
        if (wanted == ZdbTransport.AUTO && !pinned.isBlank()) {
            try {
                wanted = ZdbTransport.parse(pinned.strip());
            } catch (IllegalArgumentException e) {
                throw new IOException("-D" + ZdbTransport.PROPERTY + ": " + e.getMessage(), e);
            }
        }
        return switch (wanted) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : IoUring.isAvailable() ? IO_URING : NIO;
            case IO_URING -> require(IO_URING, IoUring.isAvailable(), IoUring.unavailabilityCause());
            case EPOLL -> require(EPOLL, Epoll.isAvailable(), Epoll.unavailabilityCause());
            case NIO -> NIO;
        };
    }

    /** Whether the loop waits by {@link BusyPoll} on this transport (io_uring waits its own way). */
    boolean busyPolls() {
        return this != IO_URING;
    }

    private static NettyTransport require(NettyTransport transport, boolean available, Throwable cause)
            throws IOException {
        if (!available) {
            throw new IOException("the " + transport.label() + " transport is not available here: " + cause);
        }
        return transport;
    }
}
