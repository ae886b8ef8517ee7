package dev.quilt.zstor.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodingMatrixTest {

  @Test
  void encodingMatrixIsIdentityOverCauchy() {
    byte[][] matrix = CodingMatrix.systematicCauchy(4, 2);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertThat(matrix[i][j]).isEqualTo((byte) (i == j ? 1 : 0));
      }
    }
    // ISA-L gf_gen_cauchy1_matrix: row i >= k, column j holds 1 / (i ^ j).
    assertThat(matrix[4][0] & 0xFF).isEqualTo(GaloisField.inv(4));
    assertThat(matrix[5][3] & 0xFF).isEqualTo(GaloisField.inv(5 ^ 3));
  }

  @Test
  void inverseTimesMatrixIsIdentity() {
    byte[][] matrix = CodingMatrix.systematicCauchy(32, 16);
    byte[][] square = new byte[32][];
    for (int i = 0; i < 32; i++) {
      square[i] = matrix[i + 16];
    }
    byte[][] product = CodingMatrix.multiply(CodingMatrix.invert(square), square);
    for (int i = 0; i < 32; i++) {
      for (int j = 0; j < 32; j++) {
        assertThat(product[i][j]).isEqualTo((byte) (i == j ? 1 : 0));
      }
    }
  }

  @Test
  void singularMatrixIsRejected() {
    byte[][] singular = {{1, 2}, {1, 2}};
    assertThatThrownBy(() -> CodingMatrix.invert(singular)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("matrix is singular (no pivot in column 1)");
  }
}
