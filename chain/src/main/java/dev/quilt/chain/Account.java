package dev.quilt.chain;

/**
 * A key's balance (in ledger units, never negative) and the nonce its next transaction must carry.
 */
public record Account(long balance, long nonce) {
    public static final Account EMPTY = new Account(0, 0);

    public Account {
        if (balance < 0 || nonce < 0) {
            throw new IllegalArgumentException("negative balance or nonce: " + balance + ", " + nonce);
        }
    }

    Account withBalance(long newBalance) {
        return new Account(newBalance, nonce);
    }

    Account nextNonce() {
        return new Account(balance, nonce + 1);
    }
}
