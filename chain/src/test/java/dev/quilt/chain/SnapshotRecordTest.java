package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.chain.Transaction.PublishSnapshot;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Snapshot records: ownership of a name, versions, refusals, proofs and encodings. */
class SnapshotRecordTest {
    static final Hash256 M1 = sha("manifest");
    static final Hash256 M2 = sha("manifest v2");

    static Hash256 sha(String s) {
        return Sha256.digest(s.getBytes(StandardCharsets.UTF_8));
    }

    static PublishSnapshot publish(String name, Hash256 manifest, long size) {
        return new PublishSnapshot(name, manifest, size, Optional.empty(), Optional.empty());
    }

    @Test
    void firstPublisherOwnsTheNameAndRepublishesAddVersions() {
        TestGrid g = TestGrid.withNode(1_000);
        List<Event> first = g.ok(USER, publish("media-2026", M1, 1 << 30));
        assertThat(first).containsExactly(new Event.SnapshotPublished("media-2026", 3, 1, M1, 1 << 30));
        g.endBlock(6);
        List<Event> second = g.ok(USER, new PublishSnapshot("media-2026", M2, 1L << 31, Optional.of("quilt-main"),
                Optional.of(1234L)));
        assertThat(second).containsExactly(new Event.SnapshotPublished("media-2026", 3, 2, M2, 1L << 31));

        Snapshot s = g.state.snapshot("media-2026").orElseThrow();
        assertThat(s.publisherTwin()).isEqualTo(3);
        assertThat(s.versions()).extracting(Snapshot.Version::version).containsExactly(1L, 2L);
        assertThat(s.latest().manifestHash()).isEqualTo(M2);
        assertThat(s.latest().sourceChain()).contains("quilt-main");
        assertThat(s.latest().sourceHeight()).contains(1234L);
        assertThat(s.latest().publishedAtHeight()).isEqualTo(g.height);
        assertThat(s.find(M1).orElseThrow().version()).isEqualTo(1);
        assertThat(s.find(M1).orElseThrow().publishedAt()).isEqualTo(TestGrid.T0);
        assertThat(g.state.snapshots()).containsOnlyKeys("media-2026");
    }

    @Test
    void anotherTwinsPublishOfATakenNameIsRefusedAndChangesOnlyItsNonce() {
        TestGrid g = TestGrid.withNode(1_000);
        g.ok(USER, publish("media", M1, 10));
        LedgerState before = g.state;
        assertThat(g.refused(FARMER, publish("media", M2, 10))).isEqualTo("snapshot name 'media' belongs to twin 3");
        assertThat(g.state.snapshot("media")).isEqualTo(before.snapshot("media"));
        assertThat(g.state.account(FARMER.publicKey()).nonce()).isEqualTo(before.account(FARMER.publicKey()).nonce() + 1);
    }

    @Test
    void refusalsNameTheirCondition() {
        TestGrid g = TestGrid.withNode(1_000);
        assertThat(g.refused(TestGrid.key(77), publish("media", M1, 10))).isEqualTo("sender has no twin");
        assertThat(g.refused(USER, publish("Media", M1, 10))).isEqualTo(
                "invalid snapshot name 'Media': use 1-64 of a-z 0-9 . _ -, starting with a letter or digit");
        assertThat(g.refused(USER, publish(".hidden", M1, 10))).startsWith("invalid snapshot name '.hidden'");
        assertThat(g.refused(USER, new PublishSnapshot("media", M1, 10, Optional.empty(), Optional.of(5L))))
                .isEqualTo("snapshot source height without a source chain");
        assertThat(g.refused(USER, new PublishSnapshot("media", M1, 10, Optional.of(""), Optional.empty())))
                .isEqualTo("snapshot source chain must not be empty");
        g.ok(USER, publish("media", M1, 10));
        assertThat(g.refused(USER, publish("media", M1, 11)))
                .isEqualTo("manifest " + M1 + " is already version 1 of snapshot 'media'");
    }

    @Test
    void aNameKeepsAtMostTheVersionLimitAndSaysSo() {
        TestGrid g = TestGrid.withNode(1_000);
        for (int i = 0; i < Snapshot.MAX_VERSIONS; i++) {
            g.ok(USER, publish("busy", sha("m" + i), i));
        }
        assertThat(g.refused(USER, publish("busy", sha("one more"), 1)))
                .isEqualTo("snapshot 'busy' already has " + Snapshot.MAX_VERSIONS + " versions");
        assertThat(g.state.snapshot("busy").orElseThrow().find(sha("m0"))).isPresent();
    }

    @Test
    void aRecordIsProvenUnderTheStateRootAndAnUnknownNameProvenAbsent() {
        TestGrid g = TestGrid.withNode(1_000);
        g.ok(USER, publish("media", M1, 10));
        byte[] key = StateKeys.snapshot("media");
        byte[] value = g.state.entry(key).orElseThrow();
        assertThat(g.state.prove(key).provesInclusion(g.state.stateRoot(), key, value)).isTrue();
        assertThat(Snapshot.decodeEntry(value)).isEqualTo(g.state.snapshot("media").orElseThrow());
        byte[] other = StateKeys.snapshot("other");
        assertThat(g.state.prove(other).provesAbsence(g.state.stateRoot(), other)).isTrue();
        Hash256 rootBefore = g.state.stateRoot();
        g.ok(USER, publish("media", M2, 10));
        assertThat(g.state.prove(key).provesInclusion(rootBefore, key, value)).isFalse();
    }

    @Test
    void entryMatchesItsGoldenVector() {
        Snapshot s = new Snapshot("media-2026", 3, List.of(
                new Snapshot.Version(1, M1, 1L << 30, Optional.empty(), Optional.empty(), 7, TestGrid.T0 + 42),
                new Snapshot.Version(2, M2, 1L << 31, Optional.of("quilt-main"), Optional.of(1234L), 9, TestGrid.T0 + 54)));
        byte[] vector = GoldenVectors.bytes("snapshot-entry-v1.hex");
        assertThat(HexFormat.of().formatHex(StateTables.SNAPSHOTS.value(s)))
                .isEqualTo(HexFormat.of().formatHex(vector));
        assertThat(Snapshot.decodeEntry(vector)).isEqualTo(s);
        assertThat(HexFormat.of().formatHex(StateKeys.snapshot("media-2026"))).isEqualTo("0a0000000a6d656469612d32303236");
    }

    @Test
    void versionsOutOfOrderDoNotDecode() {
        byte[] vector = GoldenVectors.bytes("snapshot-entry-v1.hex");
        int secondVersion = vector.length - (8 + 32 + 8 + 1 + 14 + 1 + 8 + 8 + 8);
        vector[secondVersion + 7] = 1; // version 2 → 1
        assertThatThrownBy(() -> Snapshot.decodeEntry(vector)).isInstanceOf(CodecException.class)
                .hasMessage("snapshot.versions at offset 22: element 1 is not strictly ascending");
    }
}
