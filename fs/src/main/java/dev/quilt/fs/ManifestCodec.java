package dev.quilt.fs;

import dev.quilt.common.codec.CanonicalCodec;
import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The canonical encoding of a {@link Manifest}: a version byte, the chunk size, the optional source height,
 * then the entries strictly ascending by path (so one tree has one encoding, and one hash). Every length and
 * count is bounded, and a file's chunk list must add up to its size, so a manifest fetched from an untrusted
 * store either decodes to a consistent tree or fails with a {@link CodecException}.
 */
public final class ManifestCodec implements CanonicalCodec<Manifest> {
    public static final ManifestCodec INSTANCE = new ManifestCodec();

    static final int VERSION = 1;
    static final int MIN_CHUNK_SIZE = 4096;
    static final int MAX_CHUNK_SIZE = 64 << 20;
    private static final int MAX_ENTRIES = 1 << 26;
    private static final int MAX_PATH = 4096;
    private static final int MAX_CHUNKS = 1 << 28;

    private ManifestCodec() {
    }

    @Override
    public void write(Manifest m, CanonicalWriter out) {
        out.u8(VERSION).int32(m.chunkSize());
        out.optional(m.sourceHeight().isPresent() ? Optional.of(m.sourceHeight().getAsLong()) : Optional.empty(),
                CanonicalWriter::int64);
        out.list(m.entries(), MAX_ENTRIES, ManifestCodec::writeEntry);
    }

    private static void writeEntry(CanonicalWriter out, Entry e) {
        out.string(e.path(), MAX_PATH).u8(e.kind().ordinal()).int32(e.mode()).int32(e.uid()).int32(e.gid())
                .int64(e.mtimeMillis()).int64(e.size()).string(e.linkTarget(), MAX_PATH);
        out.list(e.chunks(), MAX_CHUNKS, (w, c) -> w.fixed(c.hash().bytes(), Hash256.LENGTH).int32(c.length()));
    }

    @Override
    public Manifest read(CanonicalReader in) {
        int version = in.u8("version");
        if (version != VERSION) {
            throw new CodecException("version", in.offset() - 1, "unknown manifest version " + version);
        }
        int chunkSize = in.int32("chunkSize");
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new CodecException("chunkSize", in.offset() - 4, "chunk size " + chunkSize + " outside "
                    + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE);
        }
        Optional<Long> height = in.optional("sourceHeight", r -> r.nonNegative("sourceHeight"));
        List<Entry> entries = in.sortedList("entries", MAX_ENTRIES, Comparator.comparing(Entry::path),
                r -> readEntry(r, chunkSize));
        checkTree(entries, in.offset());
        return new Manifest(chunkSize, height.map(OptionalLong::of).orElse(OptionalLong.empty()), entries);
    }

    private static Entry readEntry(CanonicalReader in, int chunkSize) {
        int start = in.offset();
        String path = in.string("path", MAX_PATH);
        if (!validPath(path)) {
            throw new CodecException("path", start, "not a relative, normalized path: " + path);
        }
        int kindOrdinal = in.u8("kind");
        if (kindOrdinal >= Entry.Kind.values().length) {
            throw new CodecException("kind", in.offset() - 1, "unknown entry kind " + kindOrdinal);
        }
        Entry.Kind kind = Entry.Kind.values()[kindOrdinal];
        int mode = in.int32("mode");
        if ((mode & ~07777) != 0) {
            throw new CodecException("mode", in.offset() - 4, "mode has bits outside 07777");
        }
        int uid = in.int32("uid");
        int gid = in.int32("gid");
        long mtime = in.int64("mtime");
        long size = in.nonNegative("size");
        String target = in.string("linkTarget", MAX_PATH);
        int chunksAt = in.offset();
        List<ChunkRef> chunks = in.list("chunks", MAX_CHUNKS, r -> {
            Hash256 hash = Hash256.of(r.fixed("chunk.hash", Hash256.LENGTH));
            int length = r.int32("chunk.length");
            if (length <= 0 || length > chunkSize) {
                throw new CodecException("chunk.length", r.offset() - 4, "chunk length " + length + " outside 1.." + chunkSize);
            }
            return new ChunkRef(hash, length);
        });
        if (path.isEmpty() && kind != Entry.Kind.DIRECTORY) {
            throw new CodecException("kind", start, "the root must be a directory");
        }
        if (kind != Entry.Kind.SYMLINK && !target.isEmpty() || kind == Entry.Kind.SYMLINK && target.isEmpty()) {
            throw new CodecException("linkTarget", start, "a link target belongs to a symlink only, and a symlink needs one");
        }
        if (kind != Entry.Kind.FILE && !chunks.isEmpty()) {
            throw new CodecException("chunks", chunksAt, "only a regular file has chunks");
        }
        checkChunks(kind, size, chunks, chunkSize, chunksAt);
        return new Entry(path, kind, mode, uid, gid, mtime, size, target, chunks);
    }

    /** The root comes first, and every other entry's parent is a directory listed before it. */
    private static void checkTree(List<Entry> entries, int at) {
        if (entries.isEmpty() || !entries.getFirst().path().isEmpty()) {
            throw new CodecException("entries", at, "the root directory is missing");
        }
        java.util.Set<String> directories = new java.util.HashSet<>();
        for (Entry e : entries) {
            if (!e.path().isEmpty()) {
                int slash = e.path().lastIndexOf('/');
                String parent = slash < 0 ? "" : e.path().substring(0, slash);
                if (!directories.contains(parent)) {
                    throw new CodecException("entries", at, e.path() + ": parent is not a directory of the manifest");
                }
            }
            if (e.kind() == Entry.Kind.DIRECTORY) {
                directories.add(e.path());
            }
        }
    }

    /** Every chunk but the last is full, and together they make the file's size. */
    private static void checkChunks(Entry.Kind kind, long size, List<ChunkRef> chunks, int chunkSize, int at) {
        if (kind != Entry.Kind.FILE) {
            return;
        }
        long expectedCount = (size + chunkSize - 1) / chunkSize;
        if (chunks.size() != expectedCount) {
            throw new CodecException("chunks", at, chunks.size() + " chunks for " + size + " bytes of " + chunkSize + "-byte chunks");
        }
        for (int i = 0; i < chunks.size() - 1; i++) {
            if (chunks.get(i).length() != chunkSize) {
                throw new CodecException("chunks", at, "chunk " + i + " is short but not last");
            }
        }
        if (!chunks.isEmpty() && (long) (chunks.size() - 1) * chunkSize + chunks.getLast().length() != size) {
            throw new CodecException("chunks", at, "chunk lengths do not add up to the size " + size);
        }
    }

    static boolean validPath(String path) {
        if (path.isEmpty()) {
            return true;
        }
        if (path.startsWith("/") || path.endsWith("/") || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
