package dev.quilt.chain;

/**
 * A submission refused because too much already waits for the log; nothing was queued, and the same
 * transaction may be sent again shortly. The API answers it with 503 and {@code Retry-After}.
 */
public final class NodeBusyException extends RuntimeException {
    public NodeBusyException(String message) {
        super(message);
    }
}
