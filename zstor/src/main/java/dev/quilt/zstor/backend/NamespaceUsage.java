package dev.quilt.zstor.backend;

import java.util.OptionalLong;

/**
 * A backend namespace's size, from NSINFO.
 *
 * @param entries live keys
 * @param usedBytes bytes of data the namespace holds
 * @param freeBytes what may still be written: the namespace limit minus what is used when a limit is
 *     set, capped by the disk's free space; the disk's free space otherwise; empty when unknown
 */
public record NamespaceUsage(long entries, long usedBytes, OptionalLong freeBytes) {
}
