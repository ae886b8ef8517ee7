package dev.quilt.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class CanonicalCodecPropertyTest {

    @Provide
    Arbitrary<Sample> samples() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers(),
                Arbitraries.longs(),
                Arbitraries.of(true, false),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Sample.MAX_BLOB),
                Arbitraries.strings().ofMaxLength(Sample.MAX_NAME / 4),
                Arbitraries.longs().greaterOrEqual(0).optional(),
                Arbitraries.longs().set().ofMaxSize(Sample.MAX_IDS).map(s -> List.copyOf(new TreeSet<>(s)))
        ).as((tag, i, l, f, b, n, o, ids) -> new Sample(tag, i, l, f, b, n, Optional.ofNullable(o.orElse(null)), ids));
    }

    @Property
    void decodeInvertsEncode(@ForAll("samples") Sample s) {
        assertThat(Sample.CODEC.decode(Sample.CODEC.encode(s))).isEqualTo(s);
    }

    @Property(tries = 2000)
    void randomBytesEitherReEncodeIdenticallyOrFailWithCodecException(@ForAll @Size(max = 80) byte[] input) {
        Sample decoded;
        try {
            decoded = Sample.CODEC.decode(input);
        } catch (CodecException expected) {
            return;
        }
        assertThat(Sample.CODEC.encode(decoded)).isEqualTo(input);
    }

    @Property(tries = 500)
    void mutatedEncodingsEitherReEncodeIdenticallyOrFailWithCodecException(
            @ForAll("samples") Sample s, @ForAll int position, @ForAll byte value) {
        byte[] bytes = Sample.CODEC.encode(s);
        bytes[Math.floorMod(position, bytes.length)] = value;
        try {
            assertThat(Sample.CODEC.encode(Sample.CODEC.decode(bytes))).isEqualTo(bytes);
        } catch (CodecException expected) {
            // the one permitted failure
        }
    }
}
