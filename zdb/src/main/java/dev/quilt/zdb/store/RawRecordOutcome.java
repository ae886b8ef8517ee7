package dev.quilt.zdb.store;

/** DATA RAW's answer. */
public sealed interface RawRecordOutcome {
    /** @param payload null when empty (0-db answers nil) */
    record Record(byte[] key, long previous, int crc, int flags, long timestamp, byte[] payload)
            implements RawRecordOutcome { }

    /** Offset at or beyond the end of the file. */
    record EndOfFile() implements RawRecordOutcome { }

    /** Not a record boundary, a bad file id, or a deleted entry. */
    record Invalid() implements RawRecordOutcome { }
}
