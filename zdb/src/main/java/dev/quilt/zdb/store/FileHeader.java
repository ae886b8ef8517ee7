package dev.quilt.zdb.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The 20-byte header data and index files share: {@code magic[4] | u32 version | u32 fileId | u64 generation}.
 */
final class FileHeader {
    static final int SIZE = 20;

    private FileHeader() { }

    /** Creates (or empties) the file at {@code path} and appends the header. */
    static AppendFile create(Path path, byte[] magic, int version, long fileId, long generation) throws IOException {
        AppendFile f = AppendFile.open(path);
        f.truncate(0);
        byte[] h = new byte[SIZE];
        System.arraycopy(magic, 0, h, 0, 4);
        Bytes.put32(h, 4, version);
        Bytes.put32(h, 8, fileId);
        Bytes.put64(h, 12, generation);
        f.append(h);
        return f;
    }
}
