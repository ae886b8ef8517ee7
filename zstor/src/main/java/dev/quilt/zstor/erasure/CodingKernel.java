package dev.quilt.zstor.erasure;

/**
 * Multiplies a coefficient matrix by a stripe of input shards: for each output row r and each byte position
 * p in [offset, offset + length), {@code outputs[r][p] = XOR over j of coefficient(r, j) · inputs[j][p]}.
 * Outputs are overwritten, never accumulated into. Every kernel gives the same bytes.
 *
 * <p>Implementations are stateless singletons; thread-safe.
 */
interface CodingKernel {

  /** Tables for {@code matrix} in this kernel's layout; computed once per matrix and reused. */
  CodingTables prepare(byte[][] matrix);

  /**
   * Computes {@code tables.rows()} outputs from {@code tables.cols()} inputs. Arguments are checked by the
   * caller: array counts match the tables and every array holds {@code offset + length} bytes.
   */
  void multiply(CodingTables tables, byte[][] inputs, byte[][] outputs, int offset, int length);
}
