package dev.quilt.zstor.erasure;

/**
 * A systematic (k, m) erasure code over equal-length shards: k data shards are kept as they are, m parity
 * shards are computed from them, and any k of the n = k + m shards give back all n.
 *
 * <p>Shards are {@code byte[]} arrays; every call works on the same range {@code [offset, offset + length)}
 * of every shard, so callers can code a stripe of a larger buffer or reuse oversized arrays. Bytes outside
 * that range are never read or written.
 *
 * <p>Implementations are immutable apart from internal caches and are thread-safe: one coder may serve
 * many threads at once, provided they do not share output arrays.
 *
 * <p>Every {@link Kernel} gives the same bytes; the kernel only decides how fast.
 */
public interface ErasureCoder {

  /** The largest number of data shards the Reed-Solomon coder accepts. */
  int MAX_DATA_SHARDS = 32;

  /** The largest number of parity shards the Reed-Solomon coder accepts. */
  int MAX_PARITY_SHARDS = 16;

  /** k, the number of data shards. */
  int dataShards();

  /** m, the number of parity shards. */
  int parityShards();

  /** n = k + m. */
  default int totalShards() {
    return dataShards() + parityShards();
  }

  /** The kernel doing the arithmetic. */
  Kernel kernel();

  /**
   * Computes the parity of {@code data} into {@code parity}, overwriting {@code [offset, offset + length)}.
   *
   * @param data k arrays, each holding at least {@code offset + length} bytes; not modified
   * @param parity m arrays of the same minimum size, distinct from the data arrays
   * @throws IllegalArgumentException if an array count, a null array, an array size or the range is wrong
   */
  void encode(byte[][] data, byte[][] parity, int offset, int length);

  /**
   * Rebuilds every shard not marked present, data and parity alike, from k of the present ones. Shard i is
   * data shard i for i < k and parity shard i - k otherwise. A missing shard's array is written in place
   * when it holds at least {@code offset + length} bytes; when it is null a new array of that size is
   * stored in {@code shards[i]}. Nothing happens when every shard is present. Present shards are trusted:
   * a corrupt shard must be marked absent, or it corrupts what is rebuilt from it.
   *
   * @param shards n arrays in shard order; present ones hold at least {@code offset + length} bytes
   * @param present which shards hold valid bytes; at least k must be true
   * @throws IllegalArgumentException if fewer than k shards are present, naming how many are, or if a
   *     count, size or range is wrong
   */
  void reconstruct(byte[][] shards, boolean[] present, int offset, int length);

  /**
   * A Reed-Solomon coder over GF(2^8) with a systematic Cauchy matrix, using the fastest kernel for this
   * CPU and JVM ({@link Kernel#preferred()}).
   *
   * @param dataShards k, 1 to {@value #MAX_DATA_SHARDS}
   * @param parityShards m, 1 to {@value #MAX_PARITY_SHARDS}
   * @throws IllegalArgumentException if k or m is out of range
   */
  static ErasureCoder reedSolomon(int dataShards, int parityShards) {
    return reedSolomon(dataShards, parityShards, Kernel.preferred());
  }

  /**
   * A Reed-Solomon coder with a chosen kernel, for tests and benchmarks.
   *
   * @throws IllegalArgumentException if k or m is out of range
   * @throws IllegalStateException if this CPU or JVM cannot run the kernel ({@link Kernel#isSupported()})
   */
  static ErasureCoder reedSolomon(int dataShards, int parityShards, Kernel kernel) {
    return new ReedSolomon(dataShards, parityShards, kernel);
  }

  /** How the GF(2^8) products are computed. All kernels give identical bytes. */
  enum Kernel {
    /** Portable Java: one lookup in a 64 KiB product table per byte and coefficient. */
    SCALAR(0),
    /** Vector API, 16-byte vectors: {@code pshufb} on x86, {@code tbl} on AArch64. */
    VECTOR_128(128),
    /** Vector API, 32-byte vectors. */
    VECTOR_256(256),
    /** Vector API, 64-byte vectors (AVX-512). */
    VECTOR_512(512);

    private final int vectorBits;

    Kernel(int vectorBits) {
      this.vectorBits = vectorBits;
    }

    /** The vector size this kernel needs, in bits; 0 for the scalar kernel. */
    public int vectorBits() {
      return vectorBits;
    }

    /**
     * Whether this JVM can run the kernel at full speed: the scalar kernel always; vector kernels need
     * {@code --add-modules jdk.incubator.vector} and a CPU with vectors at least this wide.
     */
    public boolean isSupported() {
      return KernelSelector.isSupported(this);
    }

    /**
     * The kernel {@link ErasureCoder#reedSolomon(int, int)} uses: the system property
     * {@code quilt.zstor.erasure.kernel} ({@code auto}, {@code scalar}, {@code vector128},
     * {@code vector256}, {@code vector512}) if set, else chosen for this CPU once per JVM.
     *
     * @throws IllegalArgumentException if the property names no kernel
     * @throws IllegalStateException if the property names a kernel this JVM cannot run
     */
    public static Kernel preferred() {
      return KernelSelector.preferred();
    }
  }
}
