package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;

/** Transfers and the devnet faucet. */
final class AccountRules {
    private AccountRules() {}

    static Outcome transfer(WorkingState s, Ed25519PublicKey sender, Transaction.Transfer t) {
        if (t.amount() <= 0) {
            return Outcome.refused("amount must be positive: " + t.amount());
        }
        long balance = s.balance(sender);
        if (balance < t.amount()) {
            return Outcome.refused("insufficient balance: " + balance + " < " + t.amount());
        }
        s.debit(sender, t.amount());
        s.credit(t.to(), t.amount());
        return Outcome.accepted(new Event.Transferred(sender, t.to(), t.amount()));
    }

    static Outcome faucet(WorkingState s, Ed25519PublicKey sender, Transaction.Faucet f) {
        long limit = s.params.faucetLimit();
        if (limit == 0) {
            return Outcome.refused("faucet disabled on chain " + s.params.chainId());
        }
        if (f.amount() <= 0 || f.amount() > limit) {
            return Outcome.refused("faucet amount must be 1.." + limit + ": " + f.amount());
        }
        if (s.minted > Long.MAX_VALUE - f.amount()) {
            return Outcome.refused("supply would overflow");
        }
        s.mint(sender, f.amount());
        return Outcome.accepted(new Event.Minted(sender, f.amount(), "faucet"));
    }
}
