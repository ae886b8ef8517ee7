package dev.quilt.zdb.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Brings one data/index file pair to a consistent state at load time and streams its entries.
 *
 * <p><b>Contract.</b> After {@link #recover} the data file ends at the end of its last valid record,
 * the index file holds exactly one valid entry per data record (in order), every entry was passed to the
 * sink in order, and the number of data bytes cut off is returned (also logged at WARN and reported to
 * the listener).
 *
 * <p><b>Steps.</b>
 * <ol>
 *   <li>Unless the data must be verified whole, trust the index as far as it is self-consistent: each
 *       entry's checksum holds, it describes the record right after the previous one, its
 *       {@code previousEntryOffset} chains, and the record lies inside the data file. A torn or stale
 *       index tail is truncated (the index is derived, so nothing is lost). A missing index, or one for
 *       another data generation, is rebuilt from scratch.</li>
 *   <li>Scan the data file from the end of the last indexed record: every record must pass its header
 *       checksum, fit in the file, pass its payload checksum and chain to the previous record. Each good
 *       record gets its index entry appended.</li>
 *   <li>The first bad byte ends the data: the file is truncated there. Nothing acknowledged can lie
 *       beyond it, because an acknowledged record was flushed whole before the acknowledgement.</li>
 * </ol>
 * When the store was not shut down cleanly, the active pair is recovered with {@code verifyData} so that
 * garbage written over the middle of the tail (not just a torn end) is found: the index is rebuilt
 * from a full scan.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() { }

    interface Sink {
        void accept(IndexEntry entry) throws IOException;
    }

    record Recovered(IndexFile index, long bytesCut) { }

    static Recovered recover(DataFile data, Path indexPath, boolean verifyData, StoreListener listener, Sink sink)
            throws IOException {
        long fileId = data.fileId();
        IndexFile index = verifyData ? null : IndexFile.openIfValid(indexPath, fileId, data.generation());
        long dataPos = DataFile.HEADER_SIZE;
        long lastRecord = 0;
        if (index != null) {
            WindowReader r = new WindowReader(index.file());
            long pos = IndexFile.HEADER_SIZE;
            long prevEntry = 0;
            while (true) {
                int avail = (int) Math.min(IndexFile.ENTRY_HEADER_SIZE + 255, index.size() - pos);
                int at = avail <= 0 ? -1 : r.fill(pos, avail);
                IndexEntry e = at < 0 ? null : IndexFile.parse(r.buffer(), at, avail, pos);
                if (e == null || e.dataOffset() != dataPos || e.previousEntryOffset() != prevEntry
                        || e.dataEnd() > data.size()) {
                    break;
                }
                index.loadEntry(e);
                sink.accept(e);
                lastRecord = e.dataOffset();
                dataPos = e.dataEnd();
                prevEntry = pos;
                pos = e.nextEntryOffset();
            }
            if (pos < index.size()) {
                LOG.info("index {}: dropping {} bytes of torn or stale entries at offset {} (rebuilt from data)",
                        indexPath, index.size() - pos, pos);
                index.file().truncate(pos);
            }
        } else {
            index = IndexFile.create(indexPath, fileId, data.generation());
        }

        WindowReader r = new WindowReader(data.file());
        long size = data.size();
        while (dataPos < size) {
            int avail = (int) Math.min(DataFile.RECORD_HEADER_SIZE + 255, size - dataPos);
            int at = r.fill(dataPos, avail);
            RecordHeader h = at < 0 ? null : DataFile.parseHeader(r.buffer(), at, avail, dataPos, size);
            if (h == null || h.previousOffset() != lastRecord) {
                break;
            }
            Integer crc = r.crc(h.payloadOffset(), h.payloadLen());
            if (crc == null || crc != h.payloadCrc()) {
                break;
            }
            sink.accept(index.append(h));
            lastRecord = dataPos;
            dataPos += h.size();
        }
        long cut = size - dataPos;
        if (cut > 0) {
            LOG.warn("data file {}: invalid record at offset {}, truncating {} bytes", data.path(), dataPos, cut);
            data.file().truncate(dataPos);
            listener.truncated(data.path(), dataPos, cut);
        }
        data.lastRecordOffset(lastRecord);
        index.file().flush();
        return new Recovered(index, cut);
    }
}
