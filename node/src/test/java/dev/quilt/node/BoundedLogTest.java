package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedLogTest {

    @TempDir
    Path dir;

    private static byte[] text(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(26));
        }
        return bytes;
    }

    private static byte[] write(BoundedLog log, byte[] bytes) throws IOException {
        log.copy(new ByteArrayInputStream(bytes));
        return bytes;
    }

    /** Writes {@code writes} in turn, reading after each from where the last read stopped: every byte once. */
    @Property(tries = 60)
    void aReaderThatKeepsUpSeesEveryByteOnceAcrossRotations(
            @ForAll @Size(min = 1, max = 30) java.util.List<@IntRange(min = 1, max = 700) Integer> writes,
            @ForAll @IntRange(min = 16, max = 400) int chunk) throws IOException {
        // jqwik properties get no JUnit @TempDir.
        Path tmp = java.nio.file.Files.createTempDirectory("bounded-log");
        try {
            keepsUp(new BoundedLog(tmp.resolve("output.log"), 1000), writes, chunk);
        } finally {
            try (var files = java.nio.file.Files.list(tmp)) {
                for (Path f : files.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(tmp);
        }
    }

    private static void keepsUp(BoundedLog log, java.util.List<Integer> writes, int chunk) throws IOException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        BoundedLog.Chunk last = log.read(-1, -1, chunk);
        seen.writeBytes(last.bytes());
        for (int w = 0; w < writes.size(); w++) {
            byte[] bytes = text(w, writes.get(w));
            written.writeBytes(bytes);
            log.copy(new ByteArrayInputStream(bytes));
            do {
                last = log.read(last.epoch(), last.next(), chunk);
                assertThat(last.skipped()).isZero();
                seen.writeBytes(last.bytes());
            } while (last.more());
        }
        assertThat(seen.toByteArray()).isEqualTo(written.toByteArray());
        assertThat(last.next()).isEqualTo(written.size());
    }

    @Test
    void aReaderThatFellBehindLearnsHowManyBytesWereRotatedAway() throws IOException {
        BoundedLog log = new BoundedLog(dir.resolve("output.log"), 1000);
        write(log, text(1, 900));
        BoundedLog.Chunk at = log.read(-1, -1, 100);
        assertThat(at.next()).isEqualTo(900);
        // 2,500 more bytes: two rotations, so the reader's position (900) is gone.
        byte[] later = text(2, 2500);
        for (int i = 0; i < later.length; i += 500) {
            log.copy(new ByteArrayInputStream(later, i, 500));
        }
        BoundedLog.Chunk after = log.read(at.epoch(), at.next(), 4000);
        long oldestKept = 3400 - after.bytes().length;
        assertThat(after.skipped()).isEqualTo(oldestKept - 900);
        assertThat(after.next()).isEqualTo(3400);
        assertThat(after.bytes()).isEqualTo(java.util.Arrays.copyOfRange(later, (int) (oldestKept - 900), 2500));
        assertThat(after.more()).isFalse();
    }

    @Test
    void anotherEpochOrAPositionPastTheEndStartsFromTheTail() throws IOException {
        BoundedLog log = new BoundedLog(dir.resolve("output.log"), 1000);
        byte[] bytes = write(log, text(3, 300));
        BoundedLog.Chunk tail = log.read(-1, -1, 100);
        assertThat(tail.bytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 200, 300));
        BoundedLog other = new BoundedLog(dir.resolve("output.log"), 1000);
        assertThat(other.read(tail.epoch(), 250, 100).epoch()).isNotEqualTo(tail.epoch());
        assertThat(other.read(tail.epoch(), 250, 100).bytes()).hasSize(100);
        assertThat(log.read(tail.epoch(), 5000, 100).bytes()).isEqualTo(tail.bytes());
    }

    @Test
    void aChunkEndsBeforeAnIncompleteCharacter() throws IOException {
        BoundedLog log = new BoundedLog(dir.resolve("output.log"), 1000);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        log.copy(new ByteArrayInputStream(new byte[] {'a', euro[0], euro[1]}));
        BoundedLog.Chunk first = log.read(-1, -1, 100);
        assertThat(first.bytes()).containsExactly('a');
        assertThat(first.next()).isEqualTo(1);
        log.copy(new ByteArrayInputStream(new byte[] {euro[2], 'b'}));
        assertThat(new String(log.read(first.epoch(), first.next(), 100).bytes(), StandardCharsets.UTF_8)).isEqualTo("€b");
    }

    /** A reader blocked in {@link BoundedLog#awaitOutput} on its own thread; {@link #chunk} reads after it wakes. */
    private static final class Waiter {
        private final Thread thread;
        private final java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();

        Waiter(BoundedLog log, BoundedLog.Chunk from) {
            thread = Thread.ofPlatform().start(() -> {
                try {
                    log.awaitOutput(from.epoch(), from.next(), java.time.Duration.ofMinutes(5));
                    result.set(log.read(from.epoch(), from.next(), 100));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    result.set(e);
                }
            });
        }

        /** Returns once the reader is asleep waiting, so what is written next is what must wake it. */
        Waiter asleep() throws InterruptedException {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (thread.getState() != Thread.State.TIMED_WAITING) {
                assertThat(thread.isAlive()).as("the reader returned without waiting: " + result.get()).isTrue();
                assertThat(System.nanoTime()).as("the reader never went to sleep").isLessThan(deadline);
                Thread.sleep(5);
            }
            return this;
        }

        String woken() throws InterruptedException {
            thread.join(java.time.Duration.ofSeconds(60));
            assertThat(thread.isAlive()).as("the reader is still waiting").isFalse();
            assertThat(result.get()).isInstanceOf(BoundedLog.Chunk.class);
            return new String(((BoundedLog.Chunk) result.get()).bytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aWaitingReaderWakesWhenTheCopierWritesPastItsPosition() throws Exception {
        BoundedLog log = new BoundedLog(dir.resolve("output.log"), 1000);
        Waiter reader = new Waiter(log, log.read(-1, -1, 100)).asleep();
        java.io.PipedOutputStream process = new java.io.PipedOutputStream();
        java.io.PipedInputStream output = new java.io.PipedInputStream(process);
        Thread copier = Thread.ofVirtual().start(() -> {
            try {
                log.copy(output);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        process.write("line\n".getBytes(StandardCharsets.UTF_8));
        process.flush();
        assertThat(reader.woken()).isEqualTo("line\n");
        process.close();
        copier.join();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void waitingForAnotherEpochOrWithoutAPositionReturnsAtOnce() throws Exception {
        BoundedLog log = new BoundedLog(dir.resolve("output.log"), 1000);
        BoundedLog.Chunk start = log.read(-1, -1, 100);
        // An hour's wait: only returning at once lets this test end.
        log.awaitOutput(start.epoch() + 1, 0, java.time.Duration.ofHours(1));
        log.awaitOutput(start.epoch(), -1, java.time.Duration.ofHours(1));
        assertThat(log.read(start.epoch(), start.next(), 100).bytes()).isEmpty();
    }

    @Test
    void aCharacterHalfWrittenIsNotOutputToWakeFor() throws Exception {
        BoundedLog log = new BoundedLog(dir.resolve("output.log"), 1000);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        log.copy(new ByteArrayInputStream(new byte[] {'a', euro[0]}));
        BoundedLog.Chunk first = log.read(-1, -1, 100);
        assertThat(first.next()).isEqualTo(1);
        Waiter reader = new Waiter(log, first).asleep();
        log.copy(new ByteArrayInputStream(new byte[] {euro[1], euro[2]}));
        assertThat(reader.woken()).isEqualTo("€");
    }

    @Test
    void aCharacterCutByARotationIsNotOutputToWakeFor() throws Exception {
        BoundedLog log = new BoundedLog(dir.resolve("output.log"), 10);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        log.copy(new ByteArrayInputStream(new byte[] {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', euro[0]}));
        log.copy(new ByteArrayInputStream(new byte[] {euro[1]}));   // past 10 bytes: the file rotates first
        BoundedLog.Chunk first = log.read(-1, -1, 100);
        assertThat(first.next()).isEqualTo(9);
        Waiter reader = new Waiter(log, first).asleep();
        log.copy(new ByteArrayInputStream(new byte[] {euro[2]}));
        assertThat(reader.woken()).isEqualTo("€");
    }
}
