package dev.quilt.chain;

import java.util.List;

/**
 * A block as every replica builds it: its header, its transactions in order, what happened to
 * each, and the events of its transactions and of its end.
 */
public record Block(BlockHeader header, List<SignedTransaction> transactions, List<Outcome> outcomes,
                    List<Event> endEvents) {

    public Block {
        transactions = List.copyOf(transactions);
        outcomes = List.copyOf(outcomes);
        endEvents = List.copyOf(endEvents);
        if (transactions.size() != outcomes.size()) {
            throw new IllegalArgumentException("outcomes: " + outcomes.size() + " (expected: " + transactions.size() + ")");
        }
    }
}
