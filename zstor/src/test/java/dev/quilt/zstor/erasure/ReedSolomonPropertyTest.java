package dev.quilt.zstor.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zstor.erasure.ErasureCoder.Kernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ReedSolomonPropertyTest {

  /** Kernels this JVM runs at full speed: scalar always, vector widths as the CPU allows. */
  static List<Kernel> supportedKernels() {
    return Arrays.stream(Kernel.values()).filter(Kernel::isSupported).toList();
  }

  @Provide
  Arbitrary<Kernel> kernels() {
    return Arbitraries.of(supportedKernels());
  }

  @Provide
  Arbitrary<Integer> lengths() {
    // Mostly small and odd, so tails shorter than every vector width are common; some span many vectors,
    // and some are long enough for the vector kernels' scalar lead-in to a cache line (VectorKernels.leadToLine).
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 200)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(200, 5000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(
            VectorKernels.MIN_ALIGNED_LENGTH, VectorKernels.MIN_ALIGNED_LENGTH + 3000)));
  }

  @Property(tries = 300)
  void anyKOfNShardsReconstructEveryShard(
      @ForAll @IntRange(min = 1, max = 32) int k,
      @ForAll @IntRange(min = 1, max = 16) int m,
      @ForAll("lengths") int length,
      @ForAll @IntRange(min = 0, max = 7) int offset,
      @ForAll("kernels") Kernel kernel,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ErasureCoder coder = ErasureCoder.reedSolomon(k, m, kernel);
    byte[][] shards = encodedShards(coder, offset, length, random);
    byte[][] original = deepCopy(shards);

    int erasures = random.nextInt(m + 1);
    boolean[] present = new boolean[k + m];
    Arrays.fill(present, true);
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < k + m; i++) {
      indexes.add(i);
    }
    for (int e = 0; e < erasures; e++) {
      int shard = indexes.remove(random.nextInt(indexes.size()));
      present[shard] = false;
      if (random.nextBoolean()) {
        shards[shard] = null;
      } else {
        random.nextBytes(shards[shard]);
      }
    }

    coder.reconstruct(shards, present, offset, length);

    for (int i = 0; i < k + m; i++) {
      assertThat(Arrays.copyOfRange(shards[i], offset, offset + length))
          .as("shard %d of %d+%d, kernel %s, lost %s", i, k, m, kernel, Arrays.toString(present))
          .isEqualTo(Arrays.copyOfRange(original[i], offset, offset + length));
    }
  }

  @Property(tries = 200)
  void everyKernelGivesTheScalarParityBitForBit(
      @ForAll @IntRange(min = 1, max = 32) int k,
      @ForAll @IntRange(min = 1, max = 16) int m,
      @ForAll("lengths") int length,
      @ForAll long seed) {
    byte[][] data = randomShards(k, length, new SplittableRandom(seed));
    byte[][] expected = new byte[m][length];
    ErasureCoder.reedSolomon(k, m, Kernel.SCALAR).encode(data, expected, 0, length);
    assertThat(expected).isDeepEqualTo(referenceParity(k, m, data, length));

    for (Kernel kernel : supportedKernels()) {
      byte[][] parity = new byte[m][length];
      ErasureCoder.reedSolomon(k, m, kernel).encode(data, parity, 0, length);
      assertThat(parity).as("kernel %s, %d+%d, %d bytes", kernel, k, m, length).isDeepEqualTo(expected);
    }
  }

  @Property(tries = 100)
  void decodeAgreesAcrossKernels(
      @ForAll @IntRange(min = 1, max = 32) int k,
      @ForAll @IntRange(min = 1, max = 16) int m,
      @ForAll("lengths") int length,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] present = new boolean[k + m];
    Arrays.fill(present, true);
    for (int lost = 0; lost < m; lost++) {
      present[random.nextInt(k + m)] = false;
    }
    byte[][] damaged = null;
    byte[][] expected = null;
    for (Kernel kernel : supportedKernels()) {
      ErasureCoder coder = ErasureCoder.reedSolomon(k, m, kernel);
      if (damaged == null) {
        damaged = encodedShards(coder, 0, length, random);
        for (int i = 0; i < k + m; i++) {
          if (!present[i]) {
            Arrays.fill(damaged[i], (byte) 0x5A);
          }
        }
      }
      byte[][] shards = deepCopy(damaged);
      coder.reconstruct(shards, present, 0, length);
      if (expected == null) {
        expected = shards;
      } else {
        assertThat(shards).as("kernel %s", kernel).isDeepEqualTo(expected);
      }
    }
  }

  @Property(tries = 50)
  void bytesOutsideTheRangeAreUntouched(
      @ForAll @IntRange(min = 1, max = 32) int k,
      @ForAll @IntRange(min = 1, max = 16) int m,
      @ForAll("lengths") int length,
      @ForAll("kernels") Kernel kernel) {
    int offset = 5;
    int size = offset + length + 7;
    byte[][] data = randomShards(k, size, new SplittableRandom(length));
    byte[][] parity = new byte[m][size];
    for (byte[] p : parity) {
      Arrays.fill(p, (byte) 0x77);
    }
    ErasureCoder.reedSolomon(k, m, kernel).encode(data, parity, offset, length);
    for (byte[] p : parity) {
      for (int i = 0; i < size; i++) {
        if (i < offset || i >= offset + length) {
          assertThat(p[i]).isEqualTo((byte) 0x77);
        }
      }
    }
  }

  /** Parity straight from the definition, one field multiplication at a time. */
  static byte[][] referenceParity(int k, int m, byte[][] data, int length) {
    byte[][] matrix = CodingMatrix.systematicCauchy(k, m);
    byte[][] parity = new byte[m][length];
    for (int r = 0; r < m; r++) {
      for (int p = 0; p < length; p++) {
        int sum = 0;
        for (int j = 0; j < k; j++) {
          sum ^= GaloisField.mul(matrix[k + r][j] & 0xFF, data[j][p] & 0xFF);
        }
        parity[r][p] = (byte) sum;
      }
    }
    return parity;
  }

  private static byte[][] encodedShards(ErasureCoder coder, int offset, int length, SplittableRandom random) {
    int k = coder.dataShards();
    byte[][] shards = randomShards(k + coder.parityShards(), offset + length, random);
    byte[][] data = Arrays.copyOfRange(shards, 0, k);
    byte[][] parity = Arrays.copyOfRange(shards, k, shards.length);
    coder.encode(data, parity, offset, length);
    return shards;
  }

  static byte[][] randomShards(int count, int size, SplittableRandom random) {
    byte[][] shards = new byte[count][size];
    for (byte[] shard : shards) {
      random.nextBytes(shard);
    }
    return shards;
  }

  private static byte[][] deepCopy(byte[][] shards) {
    byte[][] copy = new byte[shards.length][];
    for (int i = 0; i < shards.length; i++) {
      copy[i] = shards[i] == null ? null : shards[i].clone();
    }
    return copy;
  }
}
