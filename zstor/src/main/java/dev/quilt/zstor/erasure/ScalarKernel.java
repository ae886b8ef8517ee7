package dev.quilt.zstor.erasure;

/**
 * The portable kernel: one lookup in the 64 KiB product table per input byte and coefficient. Positions
 * are processed in blocks of {@link #BLOCK} bytes so that one block of every input and output stays in L1
 * while all coefficients pass over it. Vector kernels use {@link #multiplyRange} for their tails.
 */
enum ScalarKernel implements CodingKernel {
  INSTANCE;

  /** Bytes per cache block: 48 shards × 4 KiB = 192 KiB at the largest geometry, mostly in L2. */
  private static final int BLOCK = 4096;

  @Override
  public CodingTables prepare(byte[][] matrix) {
    return CodingTables.of(matrix, 0);
  }

  @Override
  public void multiply(CodingTables tables, byte[][] inputs, byte[][] outputs, int offset, int length) {
    multiplyRange(tables, inputs, outputs, offset, offset + length);
  }

  /** The same product over positions [from, to). */
  static void multiplyRange(CodingTables tables, byte[][] inputs, byte[][] outputs, int from, int to) {
    byte[] coefficients = tables.coefficients();
    byte[] mul = GaloisField.MUL;
    int rows = tables.rows();
    int cols = tables.cols();
    for (int start = from; start < to; start += BLOCK) {
      int end = Math.min(to, start + BLOCK);
      for (int r = 0; r < rows; r++) {
        byte[] out = outputs[r];
        int row = r * cols;
        byte[] in = inputs[0];
        int base = (coefficients[row] & 0xFF) << 8;
        for (int p = start; p < end; p++) {
          out[p] = mul[base | (in[p] & 0xFF)];
        }
        for (int j = 1; j < cols; j++) {
          in = inputs[j];
          base = (coefficients[row + j] & 0xFF) << 8;
          for (int p = start; p < end; p++) {
            out[p] ^= mul[base | (in[p] & 0xFF)];
          }
        }
      }
    }
  }
}
