package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Hash256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SparseMerkleTreePropertyTest {

    /** Entries keyed by small strings (so absent keys are easy to find), with byte values. */
    @Provide
    Arbitrary<Map<String, byte[]>> entries() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(3),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8)).ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().alpha().ofMaxLength(3);
    }

    static Map<byte[], byte[]> raw(Map<String, byte[]> entries) {
        Map<byte[], byte[]> out = new HashMap<>();
        entries.forEach((k, v) -> out.put(k.getBytes(), v));
        return out;
    }

    @Property(tries = 300)
    void everyEntryHasAnInclusionProofAndEveryOtherKeyAnAbsenceProof(
            @ForAll("entries") Map<String, byte[]> entries, @ForAll("keys") String probe) {
        SparseMerkleTree tree = SparseMerkleTree.of(raw(entries));
        Hash256 root = tree.root();
        entries.forEach((k, v) -> {
            MerkleProof proof = tree.prove(k.getBytes());
            assertThat(proof.provesInclusion(root, k.getBytes(), v)).as("inclusion of %s", k).isTrue();
            assertThat(proof.provesAbsence(root, k.getBytes())).as("absence of present %s", k).isFalse();
            assertThat(proof.provesInclusion(root, k.getBytes(), append(v))).as("wrong value for %s", k).isFalse();
        });
        MerkleProof probeProof = tree.prove(probe.getBytes());
        if (entries.containsKey(probe)) {
            assertThat(probeProof.provesInclusion(root, probe.getBytes(), entries.get(probe))).isTrue();
        } else {
            assertThat(probeProof.provesAbsence(root, probe.getBytes())).as("absence of %s", probe).isTrue();
            assertThat(probeProof.provesInclusion(root, probe.getBytes(), new byte[0])).isFalse();
        }
    }

    @Property(tries = 200)
    void rootDependsOnTheEntriesNotOnTheirOrder(@ForAll("entries") Map<String, byte[]> entries) {
        List<String> reversed = new ArrayList<>(entries.keySet());
        java.util.Collections.reverse(reversed);
        Map<byte[], byte[]> other = new java.util.LinkedHashMap<>();
        reversed.forEach(k -> other.put(k.getBytes(), entries.get(k)));
        assertThat(SparseMerkleTree.of(other).root()).isEqualTo(SparseMerkleTree.of(raw(entries)).root());
    }

    @Property(tries = 200)
    void changingAddingOrRemovingAnEntryChangesTheRoot(
            @ForAll("entries") Map<String, byte[]> entries, @ForAll("keys") String key) {
        Hash256 before = SparseMerkleTree.of(raw(entries)).root();
        Map<String, byte[]> changed = new HashMap<>(entries);
        if (changed.containsKey(key)) {
            changed.put(key, append(changed.get(key)));
        } else {
            changed.put(key, new byte[0]);
        }
        assertThat(SparseMerkleTree.of(raw(changed)).root()).isNotEqualTo(before);
        changed.remove(key);
        Map<String, byte[]> without = new HashMap<>(entries);
        without.remove(key);
        assertThat(SparseMerkleTree.of(raw(changed)).root()).isEqualTo(SparseMerkleTree.of(raw(without)).root());
    }

    @Property(tries = 200)
    void aTamperedProofProvesNothing(@ForAll("entries") Map<String, byte[]> entries, @ForAll int which) {
        if (entries.size() < 2) {
            return;
        }
        SparseMerkleTree tree = SparseMerkleTree.of(raw(entries));
        String key = entries.keySet().stream().sorted().toList().get(Math.floorMod(which, entries.size()));
        MerkleProof proof = tree.prove(key.getBytes());
        List<Hash256> siblings = new ArrayList<>(proof.siblings());
        int at = Math.floorMod(which, siblings.size());
        byte[] flipped = siblings.get(at).bytes();
        flipped[0] ^= 1;
        siblings.set(at, Hash256.of(flipped));
        MerkleProof tampered = new MerkleProof(siblings, proof.leaf());
        assertThat(tampered.provesInclusion(tree.root(), key.getBytes(), entries.get(key))).isFalse();
        MerkleProof leafless = new MerkleProof(proof.siblings(), java.util.Optional.empty());
        assertThat(leafless.provesAbsence(tree.root(), key.getBytes())).isFalse();
    }

    @Property(tries = 50)
    void emptyTreeProvesEveryKeyAbsent(@ForAll("keys") String key) {
        SparseMerkleTree tree = SparseMerkleTree.of(Map.of());
        assertThat(tree.root()).isEqualTo(SparseMerkleTree.EMPTY);
        assertThat(tree.prove(key.getBytes()).provesAbsence(tree.root(), key.getBytes())).isTrue();
    }

    /** Roots computed independently from the layout in SparseMerkleTree's documentation. */
    @net.jqwik.api.Example
    void knownRoots() {
        assertThat(SparseMerkleTree.of(raw(Map.of("a", "1".getBytes()))).root().hex())
                .isEqualTo("565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3");
        assertThat(SparseMerkleTree.of(raw(Map.of("a", "1".getBytes(), "b", "2".getBytes(), "c", "3".getBytes()))).root().hex())
                .isEqualTo("8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a");
    }

    private static byte[] append(byte[] v) {
        byte[] out = java.util.Arrays.copyOf(v, v.length + 1);
        out[v.length] = 1;
        return out;
    }
}
