package dev.quilt.zdb.store;

/**
 * The current version of a key.
 *
 * @param length    payload bytes
 * @param timestamp unix seconds of the last update
 * @param crc       CRC32C of the payload
 */
public record EntryInfo(long length, long timestamp, int crc, long fileId, long offset) { }
