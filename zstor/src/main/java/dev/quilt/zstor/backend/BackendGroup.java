package dev.quilt.zstor.backend;

import java.util.List;

/**
 * Backends that share a failure domain (a farm, a site, a power feed): placement assumes a whole
 * group can be lost at once.
 *
 * @param backends at least one backend, no backend twice
 */
public record BackendGroup(List<Backend> backends) {

    public BackendGroup {
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("group has no backends");
        }
    }

    public int size() {
        return backends.size();
    }
}
