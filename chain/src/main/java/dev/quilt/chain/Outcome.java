package dev.quilt.chain;

import java.util.List;

/**
 * What became of one transaction. A refusal is a normal, recorded result: the ledger never throws
 * for anything a sender can cause.
 */
public sealed interface Outcome {

    record Accepted(List<Event> events) implements Outcome {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    /** Refused; {@code reason} names the failed condition, e.g. "insufficient balance: 40 < 100". */
    record Refused(String reason) implements Outcome {}

    static Outcome accepted(Event... events) {
        return new Accepted(List.of(events));
    }

    static Outcome refused(String reason) {
        return new Refused(reason);
    }
}
