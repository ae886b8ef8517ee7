package dev.quilt.zstor.daemon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which local data files to delete to bring the data root under its cap: least recently used first, and only
 * files that are safe to delete. Pure: it decides, the caller deletes.
 *
 * <p>Never chosen: a namespace's active (newest) file, which zdb still writes; a file not confirmed in the
 * manifest with its current size and time (not yet stored, or changed since). "Used" is the later of the
 * file's access time and when the daemon last brought it back; access times are coarse under
 * {@code relatime}, so ties fall back to the older file (lower id first, by path).
 */
final class EvictionPolicy {
    private EvictionPolicy() { }

    static List<DataDirScan.DataFile> choose(DataDirScan.Result scan, long capBytes, OffloadManifest manifest,
            Map<String, Long> retrievedAtMillis) {
        if (capBytes <= 0 || scan.totalBytes() <= capBytes) {
            return List.of();
        }
        List<DataDirScan.DataFile> candidates = new ArrayList<>();
        for (DataDirScan.DataFile f : scan.files()) {
            if (!f.active() && manifest.isConfirmed(f.relative(), f.size(), f.mtimeMillis())) {
                candidates.add(f);
            }
        }
        candidates.sort(Comparator.<DataDirScan.DataFile>comparingLong(f -> lastUse(f, retrievedAtMillis))
                .thenComparingLong(f -> DataDirScan.dataFileId(f.path()))
                .thenComparing(DataDirScan.DataFile::relative));
        List<DataDirScan.DataFile> chosen = new ArrayList<>();
        long total = scan.totalBytes();
        for (DataDirScan.DataFile f : candidates) {
            if (total <= capBytes) {
                break;
            }
            chosen.add(f);
            total -= f.size();
        }
        return chosen;
    }

    private static long lastUse(DataDirScan.DataFile f, Map<String, Long> retrievedAtMillis) {
        return Math.max(f.atimeMillis(), retrievedAtMillis.getOrDefault(f.relative(), 0L));
    }
}
