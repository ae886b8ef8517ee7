package dev.quilt.zstor;

/** No metadata backend holds the key. */
public final class ObjectNotFoundException extends ZstorException {

    public ObjectNotFoundException(String key) {
        super("no object stored under key \"" + key + "\"");
    }
}
