package dev.quilt.zstor.daemon;

import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record of which data files are safely in zstor: a file is <em>confirmed</em> once its object and
 * metadata were written, for the exact size and modification time it had when it was read. Only confirmed
 * files may be deleted locally; a file whose size or time changed since (zdb compacted it) is stored again.
 *
 * <p>An append-only text file, one line per confirmation, {@code C <tab> relative path <tab> size <tab> mtime
 * millis}, each append forced to disk before it counts; the last line for a path wins. A line torn by a crash
 * has no newline and is ignored, so the worst a crash does is make a stored file look unconfirmed, which costs
 * one more upload and never a lost file. When superseded lines outnumber live ones the file is rewritten
 * atomically. Thread-safe.
 */
final class OffloadManifest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OffloadManifest.class);
    static final String FILE_NAME = "offload-manifest";

    /** What was confirmed for one file. */
    record Entry(long size, long mtimeMillis) { }

    private final Path path;
    private final Map<String, Entry> entries = new HashMap<>();
    private FileChannel log;
    private int lines;

    private OffloadManifest(Path path) {
        this.path = path;
    }

    static OffloadManifest open(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        OffloadManifest manifest = new OffloadManifest(stateDir.resolve(FILE_NAME));
        manifest.load();
        return manifest;
    }

    private void load() throws IOException {
        if (Files.exists(path)) {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            int start = 0;
            int end;
            while ((end = text.indexOf('\n', start)) >= 0) {
                parse(text.substring(start, end));
                start = end + 1;
            }
            if (start < text.length()) {
                LOG.atWarn().addKeyValue("manifest", path).addKeyValue("bytes", text.length() - start)
                        .log("event=manifest_torn_tail_ignored");
            }
        }
        rewrite();
    }

    private void parse(String line) {
        String[] f = line.split("\t");
        if (f.length == 4 && f[0].equals("C")) {
            try {
                entries.put(f[1], new Entry(Long.parseLong(f[2]), Long.parseLong(f[3])));
                lines++;
                return;
            } catch (NumberFormatException e) {
                // fall through to the warning
            }
        }
        LOG.atWarn().addKeyValue("manifest", path).addKeyValue("line", line).log("event=manifest_line_ignored");
    }

    /** Whether {@code relativePath} was confirmed with exactly this size and time. */
    synchronized boolean isConfirmed(String relativePath, long size, long mtimeMillis) {
        return new Entry(size, mtimeMillis).equals(entries.get(relativePath));
    }

    synchronized Optional<Entry> get(String relativePath) {
        return Optional.ofNullable(entries.get(relativePath));
    }

    synchronized int size() {
        return entries.size();
    }

    /** Records that {@code relativePath}, with this size and time, is stored; durable when this returns. */
    synchronized void confirm(String relativePath, long size, long mtimeMillis) throws IOException {
        if (relativePath.indexOf('\t') >= 0 || relativePath.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("data file path with a tab or newline: " + relativePath);
        }
        byte[] line = ("C\t" + relativePath + "\t" + size + "\t" + mtimeMillis + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            log.write(buffer);
        }
        log.force(false);
        entries.put(relativePath, new Entry(size, mtimeMillis));
        lines++;
        if (lines > 2 * entries.size() + 64) {
            rewrite();
        }
    }

    /** Replaces the log by one line per live entry, atomically. */
    private void rewrite() throws IOException {
        StringBuilder text = new StringBuilder();
        entries.forEach((p, e) -> text.append("C\t").append(p).append('\t').append(e.size()).append('\t')
                .append(e.mtimeMillis()).append('\n'));
        if (log != null) {
            log.close();
        }
        AtomicFiles.write(path, text.toString().getBytes(StandardCharsets.UTF_8));
        log = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        lines = entries.size();
    }

    @Override
    public synchronized void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }
}
