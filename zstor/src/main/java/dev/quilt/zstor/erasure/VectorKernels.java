package dev.quilt.zstor.erasure;

import jdk.incubator.vector.ByteVector;

/**
 * The Vector API kernels. Loaded only when the {@code jdk.incubator.vector} module is in the boot layer,
 * so the scalar kernel keeps working without it.
 *
 * <p><b>Technique</b> (ISA-L's {@code gf_vect_dot_prod}): a GF(2^8) product {@code c·v} splits into
 * {@code c·(v & 0x0F) ^ c·(v & 0xF0)}. For each coefficient we keep two 16-entry tables (see
 * {@link CodingTables}); per vector of input bytes, {@code lo = v & 0x0F}, {@code hi = (v >>> 4) & 0x0F},
 * and {@code lo.selectFrom(tableLo) ^ hi.selectFrom(tableHi)} is the product of every lane at once. With the
 * table replicated into each 16-byte lane, C2 compiles {@code selectFrom} on 128-bit vectors to
 * {@code (v)pshufb}; on 256/512-bit vectors with AVX-512 VBMI to {@code vpermb}, which reads the table from
 * the low lane and gives the same bytes; the XORs fuse into {@code vpternlogd} (seen in the JIT output of a
 * prototype with this loop body, zstor-reference §3.2). The high nibble comes from a 16-bit shift and a
 * mask: a byte-lane shift has no x86 instruction and C2 widens and narrows for it, which cost 2.5× in the
 * two-row kernel.
 *
 * <p><b>Loop shape.</b> Up to five output rows are computed per pass over the inputs, each accumulator a
 * local variable, so one load of an input vector feeds several products (ISA-L's
 * {@code gf_4vect_dot_prod}); rows go in groups of 4, with a last group of 5 instead of 4 + 1. Each
 * iteration covers two vectors of positions (four for one or two rows in the 128- and 256-bit kernels, and
 * for one, three and four rows in the 512-bit kernel, whose 32 registers hold sixteen accumulators), so
 * each table load feeds several lookups (16+4 encode went from 4.0 to 6.8 GB/s with two; 16+4 encode to
 * 8.2 with four in the 512-bit kernel); more would spill registers on 16-register CPUs. The 512-bit
 * two-row loop, which decoding two lost shards runs, is two wide and reads its tables from offset 0: on
 * 1 MiB shards, four wide ran at 0.71-0.89 of its speed and the same loop reading tables at a row offset
 * at 0.59-0.65 (docs/benchmarks.md). A generic "for each output" inner loop does not stay in registers.
 *
 * <p><b>Why one class per width.</b> C2 intrinsifies the Vector API only when the species is a
 * {@code static final} constant at the use site; a species held in a field or passed in runs in the
 * Java fallback, slower than the scalar kernel. So {@link Vector128Kernel}, {@link Vector256Kernel} and
 * {@link Vector512Kernel} repeat the same loops with a different constant. Positions past the last full
 * vector go through {@link ScalarKernel#multiplyRange}, and so do those before the first 64-byte line of a
 * long range ({@link #leadToLine}).
 */
final class VectorKernels {

  /**
   * Where a {@code byte[]}'s first element lies past the start of the object in HotSpot's default layout
   * (12-byte header and 4-byte length). With compact object headers it is less; the kernels then start off a
   * line, which costs speed, never correctness.
   */
  static final int ARRAY_BASE_OFFSET = 16;

  private static final int CACHE_LINE = 64;

  /** Ranges shorter than this are not worth the scalar lead-in: for them it would cost more than it saves. */
  static final int MIN_ALIGNED_LENGTH = 16 * 1024;

  private VectorKernels() {}

  /**
   * How many positions to code with the scalar kernel before the vector loop, so that the loop's loads and
   * stores start on a 64-byte line and none splits across two. Java cannot learn an array's address, but G1
   * starts every humongous object (at least half a heap region: with a default heap, a 1 MiB shard) on a
   * region boundary, so such an array's elements start {@value #ARRAY_BASE_OFFSET} bytes past a line. A
   * smaller array lies wherever its allocation put it, and is as likely off a line with this lead-in as
   * without. On 1 MiB shards the two-row decodes ran 9-45 % faster line-aligned (fastest call, six pairs
   * of runs; docs/benchmarks.md).
   */
  static int leadToLine(int offset, int length) {
    if (length < MIN_ALIGNED_LENGTH) {
      return 0;
    }
    return Math.floorMod(-(ARRAY_BASE_OFFSET + offset), CACHE_LINE);
  }

  /**
   * Codes the positions before the first line of {@code [offset, offset + length)} with the scalar kernel
   * ({@link #leadToLine}) and returns where the vector loop starts.
   */
  static int codeUpToLine(CodingTables tables, byte[][] inputs, byte[][] outputs, int offset, int length) {
    int lead = leadToLine(offset, length);
    if (lead > 0) {
      ScalarKernel.multiplyRange(tables, inputs, outputs, offset, offset + lead);
    }
    return offset + lead;
  }

  /** The preferred vector size of this JVM on this CPU, in bits. */
  static int preferredBits() {
    return ByteVector.SPECIES_PREFERRED.vectorBitSize();
  }

  /** The largest vector size this JVM on this CPU supports, in bits. */
  static int maxBits() {
    return ByteVector.SPECIES_MAX.vectorBitSize();
  }

  static CodingKernel of(ErasureCoder.Kernel kernel) {
    return switch (kernel) {
      case SCALAR -> ScalarKernel.INSTANCE;
      case VECTOR_128 -> Vector128Kernel.INSTANCE;
      case VECTOR_256 -> Vector256Kernel.INSTANCE;
      case VECTOR_512 -> Vector512Kernel.INSTANCE;
    };
  }
}
