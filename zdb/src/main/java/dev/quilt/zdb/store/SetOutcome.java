package dev.quilt.zdb.store;

/** What a SET did. */
public sealed interface SetOutcome {
    /** Written; {@code key} is what SET answers (the user key, or the 8-byte id in seq mode). */
    record Stored(byte[] key) implements SetOutcome { }

    /** The value equals the stored one: nothing was written (SET answers nil). */
    record Unchanged() implements SetOutcome { }

    /** Refused by a data rule; {@code message} is 0-db's error text without the leading '-'. */
    record Refused(String message) implements SetOutcome { }
}
