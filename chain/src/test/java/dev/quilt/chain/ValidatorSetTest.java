package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidatorSetTest {

    static ValidatorSet ofSize(int n) {
        return new ValidatorSet(IntStream.range(0, n).mapToObj(i -> TestGrid.key(100 + i).publicKey()).toList());
    }

    @Test
    void quorumIsTheLeastCountAboveHalfOfNPlusF() {
        // n: 1 2 3 4 5 6 7 10; f = (n-1)/3: 0 0 0 1 1 1 2 3; quorum > (n+f)/2.
        int[][] table = {{1, 1}, {2, 2}, {3, 2}, {4, 3}, {5, 4}, {6, 4}, {7, 5}, {10, 7}};
        for (int[] row : table) {
            assertThat(ofSize(row[0]).quorum()).as("n = %d", row[0]).isEqualTo(row[1]);
        }
    }

    @Test
    void twoQuorumsOverlapInMoreThanFValidators() {
        for (int n = 1; n <= 40; n++) {
            ValidatorSet set = ofSize(n);
            assertThat(2 * set.quorum() - n).as("n = %d", n).isGreaterThan(set.maxFaulty());
        }
    }

    @Test
    void hashIgnoresOrderAndRefusesDuplicates() {
        Ed25519PublicKey a = TestGrid.key(1).publicKey();
        Ed25519PublicKey b = TestGrid.key(2).publicKey();
        assertThat(new ValidatorSet(List.of(a, b)).hash()).isEqualTo(new ValidatorSet(List.of(b, a)).hash());
        assertThatThrownBy(() -> new ValidatorSet(List.of(a, a)))
                .hasMessage("validators: 2 keys, 1 distinct (expected: at least one, no duplicates)");
    }

    @Test
    void transactionsRootFollowsRfc6962Shape() {
        Hash256 t1 = Sha256.digest(new byte[] {1});
        Hash256 t2 = Sha256.digest(new byte[] {2});
        Hash256 t3 = Sha256.digest(new byte[] {3});
        Hash256 l1 = Sha256.digest(new byte[] {0}, t1.bytes());
        Hash256 l2 = Sha256.digest(new byte[] {0}, t2.bytes());
        Hash256 l3 = Sha256.digest(new byte[] {0}, t3.bytes());
        assertThat(TransactionsRoot.of(List.of())).isEqualTo(Hash256.ZERO);
        assertThat(TransactionsRoot.of(List.of(t1))).isEqualTo(l1);
        Hash256 left = Sha256.digest(new byte[] {1}, l1.bytes(), l2.bytes());
        assertThat(TransactionsRoot.of(List.of(t1, t2, t3))).isEqualTo(Sha256.digest(new byte[] {1}, left.bytes(), l3.bytes()));
    }
}
