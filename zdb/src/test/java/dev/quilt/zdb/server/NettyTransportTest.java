package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zdb.ZdbTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class NettyTransportTest {

    @AfterEach
    void unpin() {
        System.clearProperty(ZdbTransport.PROPERTY);
    }

    @Test
    void autoTakesEpollThenIoUringThenNio() throws IOException {
        String expected = Epoll.isAvailable() ? "epoll" : IoUring.isAvailable() ? "io_uring" : "nio";
        assertThat(NettyTransport.select(ZdbTransport.AUTO).label()).isEqualTo(expected);
    }

    @Test
    void anExplicitChoiceIsTakenAsIs() throws IOException {
        assertThat(NettyTransport.select(ZdbTransport.NIO).label()).isEqualTo("nio");
        assertThat(NettyTransport.select(ZdbTransport.NIO).domain()).isEmpty();
    }

    @Test
    void everyTransportButIoUringWaitsByBusyPolling() throws IOException {
        assertThat(NettyTransport.select(ZdbTransport.NIO).busyPolls()).isTrue();
        if (Epoll.isAvailable()) {
            assertThat(NettyTransport.select(ZdbTransport.EPOLL).busyPolls()).isTrue();
        }
        if (IoUring.isAvailable()) {
            assertThat(NettyTransport.select(ZdbTransport.IO_URING).busyPolls()).isFalse();
        }
    }

    @Test
    void theSystemPropertyPinsWhatAutoPicks() throws IOException {
        Assumptions.assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        System.setProperty(ZdbTransport.PROPERTY, "IO_URING");
        assertThat(NettyTransport.select(ZdbTransport.AUTO).label()).isEqualTo("io_uring");
        // An explicit choice wins over the property.
        assertThat(NettyTransport.select(ZdbTransport.NIO).label()).isEqualTo("nio");
    }

    @Test
    void aMisspelledPropertyIsAOneLineError() {
        System.setProperty(ZdbTransport.PROPERTY, "uring");
        assertThatThrownBy(() -> NettyTransport.select(ZdbTransport.AUTO))
                .isInstanceOf(IOException.class)
                .hasMessage("-Dquilt.zdb.transport: unknown transport 'uring': use auto, io_uring, epoll or nio");
    }

    @Test
    void parsesTheNamesFlagsUse() {
        assertThat(ZdbTransport.parse("io_uring")).isEqualTo(ZdbTransport.IO_URING);
        assertThat(ZdbTransport.parse("Auto")).isEqualTo(ZdbTransport.AUTO);
        assertThat(ZdbTransport.IO_URING.label()).isEqualTo("io_uring");
    }
}
