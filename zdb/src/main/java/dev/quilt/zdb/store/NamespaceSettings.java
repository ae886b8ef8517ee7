package dev.quilt.zdb.store;

import java.util.Optional;

/**
 * The persisted settings of a namespace (its descriptor).
 *
 * @param password empty when none is set
 * @param maxSize  limit on live payload bytes, 0 = unlimited
 */
public record NamespaceSettings(boolean isPublic, boolean worm, long maxSize, Optional<String> password, Mode mode) {

    public static NamespaceSettings defaults(Mode mode) {
        return new NamespaceSettings(true, false, 0, Optional.empty(), mode);
    }

    public NamespaceSettings withPublic(boolean value) {
        return new NamespaceSettings(value, worm, maxSize, password, mode);
    }

    public NamespaceSettings withWorm(boolean value) {
        return new NamespaceSettings(isPublic, value, maxSize, password, mode);
    }

    public NamespaceSettings withMaxSize(long value) {
        return new NamespaceSettings(isPublic, worm, value, password, mode);
    }

    public NamespaceSettings withPassword(Optional<String> value) {
        return new NamespaceSettings(isPublic, worm, maxSize, value, mode);
    }

    public NamespaceSettings withMode(Mode value) {
        return new NamespaceSettings(isPublic, worm, maxSize, password, value);
    }
}
