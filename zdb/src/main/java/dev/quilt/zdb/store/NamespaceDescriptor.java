package dev.quilt.zdb.store;

import dev.quilt.common.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The persisted settings of a namespace, file {@code <indexRoot>/<ns>/zdb-namespace}, always rewritten
 * whole with {@link AtomicFiles#write}.
 *
 * <p><b>Format</b> (little-endian):
 * <pre>
 *   0  u8  version (= 1)
 *   1  u8  flags: 1 = public, 2 = worm
 *   2  u8  mode: 0 = user, 1 = seq
 *   3  u64 maxSize (0 = unlimited)
 *  11  u64 creation sequence (orders NSLIST)
 *  19  u64 sequential id floor (ids below it were assigned; survives compaction dropping them)
 *  27  u8  password length (0 = none)
 *  28  password, UTF-8
 * </pre>
 */
record NamespaceDescriptor(NamespaceSettings settings, long creationSeq, long seqFloor) {

    static final String FILE_NAME = "zdb-namespace";
    static final int VERSION = 1;
    private static final int FIXED = 28;

    static Path path(Path indexDir) {
        return indexDir.resolve(FILE_NAME);
    }

    NamespaceDescriptor withSettings(NamespaceSettings s) {
        return new NamespaceDescriptor(s, creationSeq, seqFloor);
    }

    NamespaceDescriptor withSeqFloor(long floor) {
        return new NamespaceDescriptor(settings, creationSeq, floor);
    }

    void write(Path indexDir) throws IOException {
        byte[] pw = settings.password().orElse("").getBytes(StandardCharsets.UTF_8);
        if (pw.length > 255) {
            throw new IllegalArgumentException("password: " + pw.length + " bytes (expected: <= 255)");
        }
        byte[] b = new byte[FIXED + pw.length];
        b[0] = VERSION;
        b[1] = (byte) ((settings.isPublic() ? 1 : 0) | (settings.worm() ? 2 : 0));
        b[2] = (byte) (settings.mode() == Mode.SEQ ? 1 : 0);
        Bytes.put64(b, 3, settings.maxSize());
        Bytes.put64(b, 11, creationSeq);
        Bytes.put64(b, 19, seqFloor);
        b[27] = (byte) pw.length;
        System.arraycopy(pw, 0, b, FIXED, pw.length);
        AtomicFiles.write(path(indexDir), b);
    }

    static NamespaceDescriptor read(Path indexDir) throws IOException {
        Path p = path(indexDir);
        byte[] b = Files.readAllBytes(p);
        if (b.length < FIXED || b[0] != VERSION || b.length != FIXED + (b[27] & 0xFF)) {
            throw new CorruptFileException(p + ": bad namespace descriptor (expected: version " + VERSION
                    + ", " + FIXED + " bytes plus password)");
        }
        int pwLen = b[27] & 0xFF;
        Optional<String> pw = pwLen == 0 ? Optional.empty()
                : Optional.of(new String(b, FIXED, pwLen, StandardCharsets.UTF_8));
        NamespaceSettings s = new NamespaceSettings((b[1] & 1) != 0, (b[1] & 2) != 0, Bytes.i64(b, 3), pw,
                b[2] == 1 ? Mode.SEQ : Mode.USER);
        return new NamespaceDescriptor(s, Bytes.i64(b, 11), Bytes.i64(b, 19));
    }
}
