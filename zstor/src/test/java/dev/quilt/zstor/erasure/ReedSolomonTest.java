package dev.quilt.zstor.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zstor.erasure.ErasureCoder.Kernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReedSolomonTest {

  @Test
  void rejectsShardCountsOutsideTheSupportedRange() {
    assertThatThrownBy(() -> ErasureCoder.reedSolomon(0, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataShards: 0 (expected: 1 to 32)");
    assertThatThrownBy(() -> ErasureCoder.reedSolomon(33, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataShards: 33 (expected: 1 to 32)");
    assertThatThrownBy(() -> ErasureCoder.reedSolomon(4, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parityShards: 0 (expected: 1 to 16)");
    assertThatThrownBy(() -> ErasureCoder.reedSolomon(4, 17)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parityShards: 17 (expected: 1 to 16)");
  }

  @Test
  void reconstructNamesHowManyShardsArePresentAndNeeded() {
    ErasureCoder coder = ErasureCoder.reedSolomon(4, 2);
    byte[][] shards = new byte[6][8];
    boolean[] present = {true, false, true, false, true, false};
    assertThatThrownBy(() -> coder.reconstruct(shards, present, 0, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shards present: 3 of 6 (expected: at least 4 to reconstruct a 4+2 code)");
  }

  @Test
  void rejectsShardsOfUnequalSize() {
    ErasureCoder coder = ErasureCoder.reedSolomon(3, 2);
    byte[][] data = {new byte[16], new byte[15], new byte[16]};
    assertThatThrownBy(() -> coder.encode(data, new byte[2][16], 0, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data[1].length: 15 (expected: >= offset + length = 16; all shards must be the same size)");
  }

  @Test
  void rejectsWrongArrayCountsNullsAndRanges() {
    ErasureCoder coder = ErasureCoder.reedSolomon(3, 2);
    assertThatThrownBy(() -> coder.encode(new byte[2][4], new byte[2][4], 0, 4))
        .hasMessage("data.length: 2 (expected: 3)");
    assertThatThrownBy(() -> coder.encode(new byte[3][4], new byte[][] {new byte[4], null}, 0, 4))
        .hasMessage("parity[1]: null");
    assertThatThrownBy(() -> coder.encode(new byte[3][4], new byte[2][4], -1, 4))
        .hasMessageStartingWith("offset: -1, length: 4");
    assertThatThrownBy(() -> coder.reconstruct(new byte[4][4], new boolean[5], 0, 4))
        .hasMessage("shards.length: 4 (expected: 5 = 3 data + 2 parity)");
  }

  @Test
  void forcedKernelIsReported() {
    assertThat(ErasureCoder.reedSolomon(4, 2, Kernel.SCALAR).kernel()).isEqualTo(Kernel.SCALAR);
    assertThat(ErasureCoder.reedSolomon(4, 2).kernel()).isEqualTo(Kernel.preferred());
    assertThat(Kernel.preferred().isSupported()).isTrue();
  }

  @Test
  void reconstructWithEverythingPresentChangesNothing() {
    ErasureCoder coder = ErasureCoder.reedSolomon(2, 1);
    byte[][] shards = {{1, 2}, {3, 4}, {9, 9}};
    coder.reconstruct(shards, new boolean[] {true, true, true}, 0, 2);
    assertThat(shards[2]).containsExactly(9, 9);
  }

  @Test
  void erasurePatternsArePlannedOnceAndCached() {
    ReedSolomon coder = new ReedSolomon(10, 5, Kernel.SCALAR);
    byte[][] shards = ReedSolomonPropertyTest.randomShards(15, 64, new SplittableRandom(1));
    coder.encode(Arrays.copyOfRange(shards, 0, 10), Arrays.copyOfRange(shards, 10, 15), 0, 64);
    boolean[] present = new boolean[15];
    Arrays.fill(present, true);
    present[3] = false;
    present[12] = false;
    for (int i = 0; i < 5; i++) {
      coder.reconstruct(shards, present, 0, 64);
    }
    assertThat(coder.cachedPlans()).isEqualTo(1);
  }

  @Test
  void parityMatchesFixedVector() {
    // 2+2 over the bytes 1 and 2: parity row i is {1/(2^i... )} applied by hand, see CodingMatrixTest.
    ErasureCoder coder = ErasureCoder.reedSolomon(2, 2);
    byte[][] parity = new byte[2][1];
    coder.encode(new byte[][] {{1}, {2}}, parity, 0, 1);
    int p0 = GaloisField.inv(2) ^ GaloisField.mul(GaloisField.inv(3), 2);
    int p1 = GaloisField.inv(3) ^ GaloisField.mul(GaloisField.inv(2), 2);
    assertThat(parity[0][0] & 0xFF).isEqualTo(p0);
    assertThat(parity[1][0] & 0xFF).isEqualTo(p1);
  }
}
