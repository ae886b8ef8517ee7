package dev.quilt.zstor.pipeline;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * {@code length} bytes generated from a seed, never held in memory: runs of random bytes alternate
 * with runs of a repeated byte, so some stripes compress and some do not. Reads come back in
 * uneven sizes, as from a socket.
 */
final class SeededInputStream extends InputStream {

    private final SplittableRandom random;
    private long remaining;
    private int runLeft;
    private boolean repeating;
    private byte repeated;

    SeededInputStream(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.remaining = length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(remaining, Math.min(len, 1 + random.nextInt(256 * 1024)));
        for (int i = 0; i < n; i++) {
            if (runLeft == 0) {
                repeating = !repeating;
                runLeft = 1 + random.nextInt(3 << 20);
                repeated = (byte) random.nextInt();
            }
            b[off + i] = repeating ? repeated : (byte) random.nextInt();
            runLeft--;
        }
        remaining -= n;
        return n;
    }
}
