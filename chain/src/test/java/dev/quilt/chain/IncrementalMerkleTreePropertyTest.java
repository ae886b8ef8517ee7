package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Hash256;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The incrementally updated tree is always the tree built from scratch over the same entries. */
class IncrementalMerkleTreePropertyTest {

    /** Set {@code key} to {@code value}, or remove it when {@code value} is null. */
    record Op(String key, byte[] value) {}

    @Provide
    Arbitrary<List<Op>> operations() {
        // A small key space, so that updates, removals of present keys and shared prefixes are common.
        Arbitrary<String> keys = Arbitraries.strings().withChars("abcd").ofMinLength(1).ofMaxLength(2);
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(4).injectNull(0.3);
        return Combinators.combine(keys, values).as(Op::new).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void incrementalRootEqualsTheFromScratchRootAfterEveryOperation(@ForAll("operations") List<Op> ops) {
        IncrementalMerkleTree tree = new IncrementalMerkleTree(MerkleNodeStore.inMemory());
        Map<String, byte[]> model = new HashMap<>();
        Hash256 root = SparseMerkleTree.EMPTY;
        for (Op op : ops) {
            if (op.value() == null) {
                root = tree.remove(root, op.key().getBytes());
                model.remove(op.key());
            } else {
                root = tree.put(root, op.key().getBytes(), op.value());
                model.put(op.key(), op.value());
            }
            assertThat(root).as("after %s", op.key()).isEqualTo(SparseMerkleTree.of(SparseMerkleTreePropertyTest.raw(model)).root());
        }
        Hash256 finalRoot = root;
        model.forEach((k, v) -> assertThat(tree.prove(finalRoot, k.getBytes()).provesInclusion(finalRoot, k.getBytes(), v)).isTrue());
        for (String absent : List.of("aaa", "x", "dd")) {
            if (!model.containsKey(absent)) {
                assertThat(tree.prove(finalRoot, absent.getBytes()).provesAbsence(finalRoot, absent.getBytes())).isTrue();
            }
        }
    }

    @Property(tries = 100)
    void oldRootsStayReadableAfterLaterUpdates(@ForAll("operations") List<Op> ops) {
        IncrementalMerkleTree tree = new IncrementalMerkleTree(MerkleNodeStore.inMemory());
        Hash256 first = tree.put(SparseMerkleTree.EMPTY, "keep".getBytes(), new byte[] {1});
        Hash256 root = first;
        for (Op op : ops) {
            root = op.value() == null ? tree.remove(root, op.key().getBytes()) : tree.put(root, op.key().getBytes(), op.value());
        }
        assertThat(tree.prove(first, "keep".getBytes()).provesInclusion(first, "keep".getBytes(), new byte[] {1})).isTrue();
    }
}
