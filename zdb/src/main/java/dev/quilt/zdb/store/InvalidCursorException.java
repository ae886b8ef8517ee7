package dev.quilt.zdb.store;

/** A SCAN cursor or HISTORY ekey that is malformed or does not point at an entry of this namespace. */
public final class InvalidCursorException extends Exception {
    public InvalidCursorException(String message) {
        super(message);
    }
}
