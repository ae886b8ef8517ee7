package dev.quilt.zstor.erasure;

/**
 * Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 ({@code 0x11D}), the field
 * used by ISA-L, Hadoop's raw coders and Backblaze's coder, so parity is interchangeable with theirs for
 * the same matrix. Addition is XOR; multiplication goes through log/exp tables built from the generator 2,
 * and {@link #MUL} holds every product for the scalar kernel.
 *
 * <p>Static tables only; thread-safe.
 */
final class GaloisField {

  /** The reducing polynomial, with the x^8 term. */
  static final int POLYNOMIAL = 0x11D;

  /** {@code EXP[i] = 2^i}, doubled in length so {@code EXP[log a + log b]} needs no modulo. */
  private static final byte[] EXP = new byte[510];

  /** {@code LOG[a]} for a != 0; {@code LOG[0]} is unused. */
  private static final int[] LOG = new int[256];

  /** {@code MUL[(a << 8) | b] = a * b}: 64 KiB, one 256-byte row per coefficient a. */
  static final byte[] MUL = new byte[256 * 256];

  static {
    int x = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = (byte) x;
      EXP[i + 255] = (byte) x;
      LOG[x] = i;
      x <<= 1;
      if (x >= 256) {
        x ^= POLYNOMIAL;
      }
    }
    for (int a = 1; a < 256; a++) {
      for (int b = 1; b < 256; b++) {
        MUL[(a << 8) | b] = EXP[LOG[a] + LOG[b]];
      }
    }
  }

  private GaloisField() {}

  /** The product of two field elements given as 0..255. */
  static int mul(int a, int b) {
    return MUL[(a << 8) | b] & 0xFF;
  }

  /** The multiplicative inverse of a != 0. */
  static int inv(int a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse in GF(2^8)");
    }
    return EXP[255 - LOG[a]] & 0xFF;
  }

  /** a / b for b != 0. */
  static int div(int a, int b) {
    return mul(a, inv(b));
  }

  /** a^n for n >= 0 (0^0 = 1). */
  static int pow(int a, int n) {
    if (n == 0) {
      return 1;
    }
    if (a == 0) {
      return 0;
    }
    return EXP[(int) ((long) LOG[a] * n % 255)] & 0xFF;
  }
}
