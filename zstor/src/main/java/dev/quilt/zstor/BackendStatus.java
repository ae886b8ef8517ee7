package dev.quilt.zstor;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One backend as {@code status} sees it.
 *
 * @param id {@code host:port/namespace}
 * @param role what the backend is for
 * @param reachable whether it answered
 * @param freeBytes free space the namespace reports, when it has a limit
 * @param usedBytes bytes the namespace holds
 * @param entries keys the namespace holds (shards, or metadata records)
 * @param error why it is unreachable
 */
public record BackendStatus(String id, Role role, boolean reachable, OptionalLong freeBytes, OptionalLong usedBytes,
        OptionalLong entries, Optional<String> error) {

    /** What a backend holds. */
    public enum Role { DATA, META }
}
