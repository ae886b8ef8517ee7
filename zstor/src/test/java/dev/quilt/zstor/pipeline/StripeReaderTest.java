package dev.quilt.zstor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StripeReaderTest {

    @Test
    void cutsInputIntoFullStripesAndAShortLastOne() throws IOException {
        byte[] input = new byte[10_000];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) (i * 31);
        }
        StripeReader reader = new StripeReader(new ByteArrayInputStream(input), 4096, BufferAllocator.heap());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StripeReader.Stripe s;
        int count = 0;
        while ((s = reader.next()) != null) {
            assertThat(s.index()).isEqualTo(count++);
            assertThat(s.length()).isEqualTo(count < 3 ? 4096 : 10_000 - 8192);
            out.write(s.buffer(), 0, s.length());
        }
        assertThat(count).isEqualTo(3);
        assertThat(out.toByteArray()).isEqualTo(input);
        assertThat(reader.next()).isNull();
    }

    @Test
    void emptyInputHasNoStripesAndAnExactMultipleNoEmptyTail() throws IOException {
        assertThat(new StripeReader(new ByteArrayInputStream(new byte[0]), 16, BufferAllocator.heap()).next()).isNull();
        StripeReader reader = new StripeReader(new ByteArrayInputStream(new byte[32]), 16, BufferAllocator.heap());
        assertThat(reader.next().length()).isEqualTo(16);
        assertThat(reader.next().length()).isEqualTo(16);
        assertThat(reader.next()).isNull();
        assertThat(reader.stripes()).isEqualTo(2);
    }

    @Test
    void previousStripeStaysValidWhileTheNextIsRead() throws IOException {
        byte[] input = new byte[48];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) (i / 16);
        }
        StripeReader reader = new StripeReader(new ByteArrayInputStream(input), 16, BufferAllocator.heap());
        StripeReader.Stripe first = reader.next();
        StripeReader.Stripe second = reader.next();
        assertThat(first.buffer()).isNotSameAs(second.buffer());
        assertThat(first.buffer()[0]).isEqualTo((byte) 0);
        assertThat(second.buffer()[0]).isEqualTo((byte) 1);
        assertThat(reader.next().buffer()).isSameAs(first.buffer());
    }
}
