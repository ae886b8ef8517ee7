package dev.quilt.zstor.erasure;

import dev.quilt.zstor.erasure.DecodePlanCache.DecodePlan;
import java.util.Locale;

/**
 * Reed-Solomon over GF(2^8) (polynomial 0x11D) with the systematic Cauchy matrix of {@link CodingMatrix}.
 *
 * <p><b>Encode</b> multiplies the m Cauchy rows by the k data shards. <b>Reconstruct</b> takes the first k
 * present shards (data shards first, since they come first), inverts the k×k matrix of their encoding
 * rows, and derives one row per missing shard: row i of the inverse for data shard i, and
 * {@code parityRow · inverse} for a parity shard, so one kernel pass over the k survivors writes every
 * missing shard. The plan for each pattern of present shards is kept in a {@link DecodePlanCache}.
 *
 * <p><b>Limits.</b> k <= {@value ErasureCoder#MAX_DATA_SHARDS}, m <= {@value ErasureCoder#MAX_PARITY_SHARDS}
 * (the Cauchy construction itself would allow n <= 256).
 *
 * <p>Thread-safe: immutable apart from the plan cache.
 */
final class ReedSolomon implements ErasureCoder {

  private final int k;
  private final int m;
  private final Kernel kernelKind;
  private final CodingKernel kernel;
  private final byte[][] matrix;
  private final CodingTables parityTables;
  private final DecodePlanCache plans = new DecodePlanCache();

  ReedSolomon(int k, int m, Kernel kernelKind) {
    if (k < 1 || k > MAX_DATA_SHARDS) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "dataShards: %d (expected: 1 to %d)", k, MAX_DATA_SHARDS));
    }
    if (m < 1 || m > MAX_PARITY_SHARDS) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "parityShards: %d (expected: 1 to %d)", m, MAX_PARITY_SHARDS));
    }
    if (kernelKind == null) {
      throw new IllegalArgumentException("kernel: null");
    }
    this.k = k;
    this.m = m;
    this.kernelKind = kernelKind;
    this.kernel = KernelSelector.kernel(kernelKind);
    this.matrix = CodingMatrix.systematicCauchy(k, m);
    byte[][] parityRows = new byte[m][];
    System.arraycopy(matrix, k, parityRows, 0, m);
    this.parityTables = kernel.prepare(parityRows);
  }

  @Override
  public int dataShards() {
    return k;
  }

  @Override
  public int parityShards() {
    return m;
  }

  @Override
  public Kernel kernel() {
    return kernelKind;
  }

  @Override
  public void encode(byte[][] data, byte[][] parity, int offset, int length) {
    checkRange(offset, length);
    checkArrays("data", data, k, offset, length);
    checkArrays("parity", parity, m, offset, length);
    kernel.multiply(parityTables, data, parity, offset, length);
  }

  @Override
  public void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
    checkRange(offset, length);
    int n = k + m;
    if (shards == null || shards.length != n) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "shards.length: %s (expected: %d = %d data + %d parity)",
          shards == null ? "null" : shards.length, n, k, m));
    }
    if (present == null || present.length != n) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "present.length: %s (expected: %d)", present == null ? "null" : present.length, n));
    }
    long mask = 0;
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (present[i]) {
        mask |= 1L << i;
        count++;
        checkArray("shards", i, shards[i], offset, length);
      } else if (shards[i] != null) {
        checkArray("shards", i, shards[i], offset, length);
      }
    }
    if (count < k) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "shards present: %d of %d (expected: at least %d to reconstruct a %d+%d code)", count, n, k, k, m));
    }
    if (count == n) {
      return;
    }
    DecodePlan plan = plans.get(mask, this::plan);
    byte[][] inputs = new byte[k][];
    for (int i = 0; i < k; i++) {
      inputs[i] = shards[plan.survivors()[i]];
    }
    int[] missing = plan.missing();
    byte[][] outputs = new byte[missing.length][];
    for (int i = 0; i < missing.length; i++) {
      if (shards[missing[i]] == null) {
        shards[missing[i]] = new byte[offset + length];
      }
      outputs[i] = shards[missing[i]];
    }
    kernel.multiply(plan.tables(), inputs, outputs, offset, length);
  }

  /** Entries in the decode plan cache, for tests. */
  int cachedPlans() {
    return plans.size();
  }

  private DecodePlan plan(long presentMask) {
    int n = k + m;
    int[] survivors = new int[k];
    int[] missing = new int[n - Long.bitCount(presentMask)];
    byte[][] survivorRows = new byte[k][];
    for (int i = 0, s = 0, x = 0; i < n; i++) {
      if ((presentMask & (1L << i)) == 0) {
        missing[x++] = i;
      } else if (s < k) {
        survivorRows[s] = matrix[i];
        survivors[s++] = i;
      }
    }
    byte[][] decode = CodingMatrix.invert(survivorRows);
    byte[][] rows = new byte[missing.length][];
    for (int x = 0; x < missing.length; x++) {
      int shard = missing[x];
      rows[x] = shard < k ? decode[shard] : CodingMatrix.multiply(new byte[][] {matrix[shard]}, decode)[0];
    }
    return new DecodePlan(survivors, missing, kernel.prepare(rows));
  }

  private static void checkRange(int offset, int length) {
    if (offset < 0 || length < 0 || offset > Integer.MAX_VALUE - length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "offset: %d, length: %d (expected: both >= 0 and offset + length <= %d)",
          offset, length, Integer.MAX_VALUE));
    }
  }

  private static void checkArrays(String name, byte[][] arrays, int expected, int offset, int length) {
    if (arrays == null || arrays.length != expected) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s.length: %s (expected: %d)",
          name, arrays == null ? "null" : arrays.length, expected));
    }
    for (int i = 0; i < expected; i++) {
      checkArray(name, i, arrays[i], offset, length);
    }
  }

  private static void checkArray(String name, int index, byte[] array, int offset, int length) {
    if (array == null) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s[%d]: null", name, index));
    }
    if (array.length < offset + length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s[%d].length: %d (expected: >= offset + length = %d; all shards must be the same size)",
          name, index, array.length, offset + length));
    }
  }
}
