package dev.quilt.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    private static final Hash256 A = Sha256.digest(new byte[] {'a'});

    private static Manifest sample() {
        return new Manifest(4096, OptionalLong.of(7), List.of(
                new Entry("", Entry.Kind.DIRECTORY, 0755, 0, 0, 1000, 0, "", List.of()),
                new Entry("db", Entry.Kind.FILE, 0644, 1000, 1000, 2000, 5000, "",
                        List.of(ChunkRef.hole(4096), new ChunkRef(A, 904))),
                new Entry("link", Entry.Kind.SYMLINK, 0777, 0, 0, 3000, 2, "db", List.of())));
    }

    /** The bytes (and so the hash) of a manifest never change silently: published snapshots name them. */
    @Test
    void goldenVector() {
        String hex = HexFormat.of().formatHex(sample().encode());
        assertThat(hex).isEqualTo(GOLDEN);
        assertThat(sample().hash().hex()).isEqualTo(Sha256.digest(HexFormat.of().parseHex(GOLDEN)).hex());
        assertThat(ManifestCodec.INSTANCE.decode(HexFormat.of().parseHex(GOLDEN))).isEqualTo(sample());
    }

    /** version 1, chunk size 4096, height present = 7, 3 entries; each: path, kind, mode, uid, gid, mtime, size, target, chunks. */
    static final String GOLDEN = "01" + "00001000" + "01" + "0000000000000007" + "00000003"
            + "00000000" + "00" + "000001ed" + "00000000" + "00000000" + "00000000000003e8" + "0000000000000000" + "00000000"
            + "00000000"
            + "000000026462" + "01" + "000001a4" + "000003e8" + "000003e8" + "00000000000007d0" + "0000000000001388"
            + "00000000" + "00000002"
            + "0000000000000000000000000000000000000000000000000000000000000000" + "00001000"
            + "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" + "00000388"
            + "000000046c696e6b" + "02" + "000001ff" + "00000000" + "00000000" + "0000000000000bb8" + "0000000000000002"
            + "000000026462" + "00000000";

    @Test
    void chunksMustAddUpToTheSize() {
        Manifest bad = new Manifest(4096, OptionalLong.empty(), List.of(
                new Entry("", Entry.Kind.DIRECTORY, 0755, 0, 0, 0, 0, "", List.of()),
                new Entry("f", Entry.Kind.FILE, 0644, 0, 0, 0, 5000, "", List.of(new ChunkRef(A, 4096)))));
        assertThatThrownBy(() -> ManifestCodec.INSTANCE.decode(bad.encode())).isInstanceOf(CodecException.class)
                .hasMessageContaining("1 chunks for 5000 bytes");
    }

    @Test
    void anEntryNeedsItsParentDirectory() {
        Manifest bad = new Manifest(4096, OptionalLong.empty(), List.of(
                new Entry("", Entry.Kind.DIRECTORY, 0755, 0, 0, 0, 0, "", List.of()),
                new Entry("a/f", Entry.Kind.FILE, 0644, 0, 0, 0, 0, "", List.of())));
        assertThatThrownBy(() -> ManifestCodec.INSTANCE.decode(bad.encode())).isInstanceOf(CodecException.class)
                .hasMessageContaining("a/f: parent is not a directory");
    }

    @Test
    void pathsMustBeRelativeAndNormalized() {
        for (String path : List.of("/etc", "a/../b", "a//b", "./a", "a/")) {
            Manifest bad = new Manifest(4096, OptionalLong.empty(), List.of(
                    new Entry("", Entry.Kind.DIRECTORY, 0755, 0, 0, 0, 0, "", List.of()),
                    new Entry(path, Entry.Kind.DIRECTORY, 0755, 0, 0, 0, 0, "", List.of())));
            assertThatThrownBy(() -> ManifestCodec.INSTANCE.decode(bad.encode())).isInstanceOf(CodecException.class)
                    .hasMessageContaining("not a relative, normalized path");
        }
    }
}
