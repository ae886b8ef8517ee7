package dev.quilt.zdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespWriterTest {
    @Test
    void encodesCommandsAsArraysOfBulkStringsBackToBack() {
        RespWriter writer = new RespWriter().command(Session.args("SET", "k", "")).command(Session.args("PING"));
        assertThat(new String(writer.drain(), StandardCharsets.US_ASCII))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n*1\r\n$4\r\nPING\r\n");
        assertThat(writer.size()).isZero();
    }
}
