package dev.quilt.chain;

/**
 * Where every unit came from and went: {@code minted} counts genesis allocations, faucet grants
 * and farmer rewards; {@code burned} the part of paid bills not credited to farmers. The sum of all
 * balances always equals {@code minted - burned}.
 */
public record Supply(long minted, long burned) {
    public long circulating() {
        return minted - burned;
    }
}
