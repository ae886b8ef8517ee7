package dev.quilt.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CanonicalCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static CodecException decodeError(String hex) {
        try {
            Sample.CODEC.decode(HEX.parseHex(hex));
        } catch (CodecException e) {
            return e;
        }
        throw new AssertionError("decoded " + hex);
    }

    @Test
    void encodesTheDocumentedLayout() {
        Sample s = new Sample(7, -2, 1L << 40, true, new byte[] {(byte) 0xab}, "é", Optional.of(3L), List.of(1L, 2L));
        assertThat(HEX.formatHex(Sample.CODEC.encode(s))).isEqualTo(
                "07" + "fffffffe" + "0000010000000000" + "01" + "00000001ab" + "00000002c3a9"
                        + "01" + "0000000000000003" + "00000002" + "0000000000000001" + "0000000000000002");
        assertThat(Sample.CODEC.decode(Sample.CODEC.encode(s))).isEqualTo(s);
    }

    static final String MINIMAL = "00" + "00000000" + "0000000000000000" + "00" + "00000000" + "00000000" + "00" + "00000000";

    @Test
    void rejectsTrailingBytes() {
        assertThat(decodeError(MINIMAL + "00")).hasMessage("end at offset 27: 1 trailing bytes");
    }

    @Test
    void rejectsTruncationNamingTheField() {
        assertThat(decodeError("00000000")).hasMessage("int32 at offset 1: truncated: need 4 bytes, 3 left");
    }

    @Test
    void rejectsNonCanonicalBoolean() {
        CodecException e = decodeError("00" + "00000000" + "0000000000000000" + "02");
        assertThat(e).hasMessage("flag at offset 13: boolean must be 00 or 01, got 02");
        assertThat(e.field()).isEqualTo("flag");
        assertThat(e.offset()).isEqualTo(13);
    }

    @Test
    void rejectsOverLimitLengthBeforeAllocating() {
        assertThat(decodeError("00" + "00000000" + "0000000000000000" + "00" + "00000011"))
                .hasMessage("blob at offset 14: length 17 exceeds limit 16");
        assertThat(decodeError("00" + "00000000" + "0000000000000000" + "00" + "00000005ab"))
                .hasMessage("blob at offset 14: length 5 exceeds the 1 bytes left");
    }

    @Test
    void rejectsMalformedUtf8() {
        assertThat(decodeError("00" + "00000000" + "0000000000000000" + "00" + "00000000" + "00000001ff"))
                .hasMessage("name at offset 18: malformed UTF-8");
    }

    @Test
    void rejectsUnsortedOrRepeatedSetElements() {
        String prefix = MINIMAL.substring(0, MINIMAL.length() - 8);
        assertThat(decodeError(prefix + "00000002" + "0000000000000002" + "0000000000000002"))
                .hasMessage("ids at offset 23: element 1 is not strictly ascending");
    }

    @Test
    void rejectsNegativeWhereOnlyNonNegativeIsAllowed() {
        String prefix = MINIMAL.substring(0, MINIMAL.length() - 10);
        assertThat(decodeError(prefix + "01" + "ffffffffffffffff" + "00000000"))
                .hasMessage("limit at offset 23: negative value -1");
    }

    @Test
    void writerRefusesWhatTheReaderWouldRefuse() {
        assertThatThrownBy(() -> new CanonicalWriter().bytes(new byte[17], 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("byte string of 17 bytes exceeds limit 16");
        assertThatThrownBy(() -> new CanonicalWriter().u8(256)).hasMessage("u8 out of range: 256");
    }
}
