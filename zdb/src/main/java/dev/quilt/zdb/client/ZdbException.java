package dev.quilt.zdb.client;

import java.io.Serial;

/**
 * The server refused a command: it answered with a RESP error ({@code -<text>}).
 *
 * <p>{@link #getMessage()} is exactly the server's text, without the leading {@code -}, for example
 * {@code "Namespace not found"} or {@code "Permission denied"}: 0-db's errors carry no {@code ERR} prefix and
 * its messages are part of its wire contract (see the protocol specification's error lists). The connection
 * that received it stays usable.
 *
 * <p>Network trouble is reported differently, as {@link java.io.UncheckedIOException}.
 */
public final class ZdbException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ZdbException(String serverMessage) {
        super(serverMessage);
    }
}
