package dev.quilt.zdb.client;

/** A RESP error reply as a value ({@code -text}), before it is thrown or handed to a pipeline's caller. */
record ErrorReply(String message) {
    ZdbException toException() {
        return new ZdbException(message);
    }
}
