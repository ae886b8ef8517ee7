package dev.quilt.zstor;

/** A stripe of the object has fewer than k good shards; the message names the stripe and what is missing. */
public final class UnrecoverableObjectException extends ZstorException {

    public UnrecoverableObjectException(String message) {
        super(message);
    }
}
