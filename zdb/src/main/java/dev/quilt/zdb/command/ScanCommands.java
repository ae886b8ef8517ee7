package dev.quilt.zdb.command;

import dev.quilt.zdb.resp.RespValue;
import dev.quilt.zdb.store.InvalidCursorException;
import dev.quilt.zdb.store.ScanBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SCAN, SCANX, RSCAN and KSCAN. A batch stops after {@link #TIME_SLICE_NANOS} of work (like 0-db) or at
 * {@link #MAX_ENTRIES}, whichever comes first, so one scan never stalls the event loop. Confined to the event loop.
 */
final class ScanCommands {

    private static final Logger LOG = LoggerFactory.getLogger(ScanCommands.class);

    /** Wall-time budget of one batch (0-db: 2000 µs). */
    static final long TIME_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(2000);
    /** Upper bound on entries per batch, so a reply stays small even on a fast machine. */
    static final int MAX_ENTRIES = 10_000;
    static final int CURSOR_LENGTH = 17;

    Reply scan(Session session, Arguments args) {
        return walk(session, args, true);
    }

    Reply rscan(Session session, Arguments args) {
        return walk(session, args, false);
    }

    /** Disabled in 0-db's release builds; we answer the same. */
    Reply kscan(Session session, Arguments args) {
        return Reply.error("Command disabled in release code, not yet available");
    }

    private Reply walk(Session session, Arguments args, boolean forward) {
        Reply refused = Access.read(session);
        if (refused != null) {
            return refused;
        }
        byte[] cursor = null;
        if (args.count() >= 2) {
            cursor = args.bytes(1);
            if (cursor.length != CURSOR_LENGTH) {
                return Reply.error("Invalid key format");
            }
        }
        long deadline = System.nanoTime() + TIME_SLICE_NANOS;
        ScanBatch batch;
        try {
            batch = forward
                    ? session.namespace().scan(cursor, MAX_ENTRIES, deadline)
                    : session.namespace().rscan(cursor, MAX_ENTRIES, deadline);
        } catch (InvalidCursorException e) {
            return Reply.error("Invalid key format");
        } catch (IOException e) {
            LOG.error("event=scan_failed namespace={} {}", session.namespace().name(), session, e);
            return Reply.error("Internal Error");
        }
        if (batch.isEmpty()) {
            return Reply.error("No more data");
        }
        List<RespValue> entries = new ArrayList<>(batch.entries().size());
        for (ScanBatch.Entry entry : batch.entries()) {
            entries.add(RespValue.array(RespValue.bulk(entry.key()), RespValue.integer(entry.length()),
                    RespValue.integer(entry.timestamp())));
        }
        return Reply.of(RespValue.array(RespValue.bulk(batch.nextCursor()), RespValue.array(entries)));
    }
}
