package dev.quilt.zstor.erasure;

/**
 * A coefficient matrix (rows × cols, one output row per output shard, one column per input shard) in the
 * form a kernel consumes: the coefficients row-major, and, for vector kernels, two 16-entry product tables
 * per coefficient replicated to the vector width.
 *
 * <p>Nibble table layout for coefficient (r, j) and vector width W bytes: {@code W} bytes at
 * {@code ((r * cols + j) * 2) * W} hold {@code c·x} for x = 0..15 repeated W/16 times (the low-nibble
 * table), and the next W bytes hold {@code c·(x << 4)} likewise (the high-nibble table). Since
 * {@code c·v = c·(v & 15) ^ c·(v & 0xF0)} in GF(2^8), two lookups and an XOR give the product of any byte.
 *
 * @param rows output rows
 * @param cols input columns
 * @param coefficients row-major, {@code rows * cols} bytes
 * @param nibbles the replicated nibble tables, or null for the scalar kernel
 */
record CodingTables(int rows, int cols, byte[] coefficients, byte[] nibbles) {

  /** Tables for a kernel that reads vectors of {@code width} bytes; width 0 means no nibble tables. */
  static CodingTables of(byte[][] matrix, int width) {
    int rows = matrix.length;
    int cols = matrix[0].length;
    byte[] coefficients = new byte[rows * cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(matrix[r], 0, coefficients, r * cols, cols);
    }
    if (width == 0) {
      return new CodingTables(rows, cols, coefficients, null);
    }
    byte[] nibbles = new byte[rows * cols * 2 * width];
    for (int i = 0; i < rows * cols; i++) {
      int c = coefficients[i] & 0xFF;
      int base = i * 2 * width;
      for (int x = 0; x < width; x++) {
        nibbles[base + x] = (byte) GaloisField.mul(c, x & 15);
        nibbles[base + width + x] = (byte) GaloisField.mul(c, (x & 15) << 4);
      }
    }
    return new CodingTables(rows, cols, coefficients, nibbles);
  }
}
