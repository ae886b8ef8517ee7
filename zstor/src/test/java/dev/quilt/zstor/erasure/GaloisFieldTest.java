package dev.quilt.zstor.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GaloisFieldTest {

  /** Carry-less multiply reduced by 0x11D, independent of the tables. */
  private static int slowMul(int a, int b) {
    int product = 0;
    while (b != 0) {
      if ((b & 1) != 0) {
        product ^= a;
      }
      a <<= 1;
      if ((a & 0x100) != 0) {
        a ^= GaloisField.POLYNOMIAL;
      }
      b >>= 1;
    }
    return product;
  }

  @Test
  void productTableMatchesCarryLessMultiplication() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        assertThat(GaloisField.mul(a, b)).as("%d * %d", a, b).isEqualTo(slowMul(a, b));
      }
    }
  }

  @Test
  void multiplicationIsCommutativeAndDistributesOverXor() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        assertThat(GaloisField.mul(a, b)).isEqualTo(GaloisField.mul(b, a));
        int c = (a * 31 + b * 17) & 0xFF;
        assertThat(GaloisField.mul(a, b ^ c)).isEqualTo(GaloisField.mul(a, b) ^ GaloisField.mul(a, c));
      }
    }
  }

  @Test
  void multiplicationIsAssociative() {
    for (int a = 0; a < 256; a += 3) {
      for (int b = 0; b < 256; b += 5) {
        for (int c = 0; c < 256; c += 7) {
          assertThat(GaloisField.mul(GaloisField.mul(a, b), c))
              .isEqualTo(GaloisField.mul(a, GaloisField.mul(b, c)));
        }
      }
    }
  }

  @Test
  void everyNonZeroElementHasAnInverse() {
    for (int a = 1; a < 256; a++) {
      assertThat(GaloisField.mul(a, GaloisField.inv(a))).as("a = %d", a).isEqualTo(1);
      assertThat(GaloisField.div(GaloisField.mul(a, 77), a)).isEqualTo(77);
    }
    assertThat(GaloisField.mul(0, 123)).isZero();
    assertThat(GaloisField.mul(1, 123)).isEqualTo(123);
  }

  @Test
  void twoGeneratesTheMultiplicativeGroup() {
    boolean[] seen = new boolean[256];
    for (int i = 0; i < 255; i++) {
      int x = GaloisField.pow(2, i);
      assertThat(seen[x]).as("2^%d = %d repeats", i, x).isFalse();
      seen[x] = true;
    }
    assertThat(GaloisField.pow(2, 255)).isEqualTo(1);
  }

  @Test
  void zeroHasNoInverse() {
    assertThatThrownBy(() -> GaloisField.inv(0)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("0 has no inverse");
  }
}
