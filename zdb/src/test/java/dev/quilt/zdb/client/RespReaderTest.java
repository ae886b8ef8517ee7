package dev.quilt.zdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RespReaderTest {
    private static final String SCAN_REPLY =
            "*2\r\n$3\r\ncur\r\n*2\r\n*3\r\n$1\r\na\r\n:5\r\n:1700000000\r\n*3\r\n$1\r\nb\r\n:0\r\n:1700000001\r\n";

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsEveryReplyTypeWholeOrOneByteAtATime(boolean oneByteAtATime) throws IOException {
        RespReader reader = reader("+PONG\r\n-Key not found\r\n:-42\r\n$3\r\nk\r\n\r\n$0\r\n\r\n$-1\r\n*-1\r\n" + SCAN_REPLY,
                oneByteAtATime);
        assertThat(reader.read()).isEqualTo("PONG");
        assertThat(reader.read()).isEqualTo(new ErrorReply("Key not found"));
        assertThat(reader.read()).isEqualTo(-42L);
        assertThat((byte[]) reader.read()).isEqualTo("k\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat((byte[]) reader.read()).isEmpty();
        assertThat(reader.read()).isNull();
        assertThat(reader.read()).isNull();
        List<?> scan = (List<?>) reader.read();
        assertThat((byte[]) scan.get(0)).isEqualTo("cur".getBytes(StandardCharsets.UTF_8));
        List<?> second = (List<?>) ((List<?>) scan.get(1)).get(1);
        assertThat((byte[]) second.get(0)).isEqualTo(new byte[] {'b'});
        assertThat(List.copyOf(second.subList(1, 3))).isEqualTo(List.of(0L, 1700000001L));
    }

    @Test
    void rejectsBulkLongerThanTheLimitBeforeAllocating() {
        assertThatThrownBy(() -> reader("$" + (RespReader.MAX_BULK + 1L) + "\r\n", false).read())
                .isInstanceOf(IOException.class)
                .hasMessage("malformed reply from test: bulk length 67108865 (expected: -1 .. 67108864)");
    }

    @Test
    void rejectsArraysNestedDeeperThanTheLimit() {
        assertThatThrownBy(() -> reader("*1\r\n".repeat(RespReader.MAX_DEPTH + 1) + ":1\r\n", false).read())
                .hasMessage("malformed reply from test: arrays nested deeper than 8");
    }

    @Test
    void rejectsAnUnknownTypeByte() {
        assertThatThrownBy(() -> reader("PONG\r\n", false).read())
                .hasMessage("malformed reply from test: unknown reply type byte 0x50");
    }

    @Test
    void rejectsANonNumericLength() {
        assertThatThrownBy(() -> reader("$x\r\n", false).read())
                .hasMessage("malformed reply from test: not an integer: \"x\"");
    }

    @Test
    void aConnectionClosedInsideABulkStringIsAnEndOfFile() {
        assertThatThrownBy(() -> reader("$10\r\nabc", false).read())
                .isInstanceOf(EOFException.class)
                .hasMessage("connection closed by test inside a bulk string of 10 bytes");
    }

    @Test
    void declaredArrayLengthDoesNotPreallocate() {
        // a peer announcing a million elements and then closing costs nothing but the elements it sent
        assertThatThrownBy(() -> reader("*1000000\r\n:1\r\n", false).read()).isInstanceOf(EOFException.class);
    }

    private static RespReader reader(String bytes, boolean oneByteAtATime) {
        InputStream in = new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1));
        if (oneByteAtATime) {
            in = new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 1));
                }

                @Override
                public byte[] readNBytes(int len) throws IOException {
                    byte[] out = new byte[len];
                    int n = 0;
                    while (n < len) {
                        int r = read(out, n, len - n);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    return Arrays.copyOf(out, n);
                }
            };
        }
        return new RespReader(in, "test");
    }
}
