package dev.quilt.zstor.erasure;

import java.util.Locale;

/**
 * Matrices over GF(2^8), stored as {@code byte[rows][cols]}: the systematic encoding matrix, products and
 * inversion for decoding.
 *
 * <p><b>Why Cauchy.</b> The encoding matrix is the k×k identity on top of the m×k Cauchy matrix
 * {@code C[i][j] = 1 / (x_i + y_j)} with {@code x_i = k + i} and {@code y_j = j} (addition is XOR). Every
 * square submatrix of a Cauchy matrix is invertible, and any k rows of [I; C] reduce, after expanding along
 * the identity rows, to a square minor of C; so any k of the n shards determine the data (the code is MDS)
 * for every n <= 256, with no search and no extra elimination step as a Vandermonde matrix made systematic
 * would need. It is the matrix of ISA-L's {@code gf_gen_cauchy1_matrix}.
 */
final class CodingMatrix {

  private CodingMatrix() {}

  /** The n×k systematic encoding matrix, n = k + m. */
  static byte[][] systematicCauchy(int k, int m) {
    byte[][] matrix = new byte[k + m][k];
    for (int i = 0; i < k; i++) {
      matrix[i][i] = 1;
    }
    for (int i = k; i < k + m; i++) {
      for (int j = 0; j < k; j++) {
        matrix[i][j] = (byte) GaloisField.inv(i ^ j);
      }
    }
    return matrix;
  }

  /** The product a·b. */
  static byte[][] multiply(byte[][] a, byte[][] b) {
    int rows = a.length;
    int inner = b.length;
    int cols = b[0].length;
    byte[][] product = new byte[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int sum = 0;
        for (int x = 0; x < inner; x++) {
          sum ^= GaloisField.mul(a[i][x] & 0xFF, b[x][j] & 0xFF);
        }
        product[i][j] = (byte) sum;
      }
    }
    return product;
  }

  /**
   * The inverse of a square matrix, by Gauss-Jordan elimination.
   *
   * @throws IllegalArgumentException if the matrix is singular
   */
  static byte[][] invert(byte[][] matrix) {
    int n = matrix.length;
    byte[][] work = new byte[n][2 * n];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "matrix[%d].length: %d (expected: %d, a square matrix)", i, matrix[i].length, n));
      }
      System.arraycopy(matrix[i], 0, work[i], 0, n);
      work[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      while (pivot < n && work[pivot][col] == 0) {
        pivot++;
      }
      if (pivot == n) {
        throw new IllegalArgumentException("matrix is singular (no pivot in column " + col + ")");
      }
      byte[] swap = work[pivot];
      work[pivot] = work[col];
      work[col] = swap;
      byte[] row = work[col];
      int scale = GaloisField.inv(row[col] & 0xFF);
      for (int j = 0; j < 2 * n; j++) {
        row[j] = (byte) GaloisField.mul(row[j] & 0xFF, scale);
      }
      for (int r = 0; r < n; r++) {
        int factor = work[r][col] & 0xFF;
        if (r != col && factor != 0) {
          byte[] target = work[r];
          for (int j = 0; j < 2 * n; j++) {
            target[j] ^= (byte) GaloisField.mul(factor, row[j] & 0xFF);
          }
        }
      }
    }
    byte[][] inverse = new byte[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(work[i], n, inverse[i], 0, n);
    }
    return inverse;
  }
}
