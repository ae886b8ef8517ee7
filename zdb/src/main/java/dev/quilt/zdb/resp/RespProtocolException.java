package dev.quilt.zdb.resp;

/**
 * The peer sent something the decoder refuses. {@link #getMessage()} is the RESP error text to answer
 * with (without the leading {@code -}); {@link #mustClose()} says whether the byte stream can no longer be
 * re-synchronized, so the connection has to be closed after the reply.
 */
public final class RespProtocolException extends Exception {

    private final boolean mustClose;

    public RespProtocolException(String message, boolean mustClose) {
        super(message, null, false, false);
        this.mustClose = mustClose;
    }

    public boolean mustClose() {
        return mustClose;
    }
}
