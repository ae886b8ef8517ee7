package dev.quilt.zdb.store;

/** One step of HISTORY. */
public sealed interface HistoryOutcome {
    /**
     * @param previous 8-byte ekey of the previous version, or null at the end of the chain
     */
    record Version(byte[] previous, long timestamp, byte[] payload) implements HistoryOutcome { }

    /** Refused; {@code message} is 0-db's error text without the leading '-'. */
    record Refused(String message) implements HistoryOutcome { }
}
