package dev.quilt.zstor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zstor.CheckReport.Health;
import dev.quilt.zstor.CheckReport.ShardProblem;
import dev.quilt.zstor.CheckReport.ShardProblem.Kind;
import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.BackendHealth;
import dev.quilt.zstor.backend.BackendLink;
import dev.quilt.zstor.backend.ShardKey;
import dev.quilt.zstor.config.ZstorConfig;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.ObjectHash;
import dev.quilt.zstor.pipeline.BufferAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * zstor over six real zdb data backends (k = 4, m = 2, three groups of two) and three metadata
 * backends, all on loopback, each behind a proxy so it can be stopped and started with its data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZstorClusterIT {

    static final Engine.Tuning TUNING = new Engine.Tuning(3, 3,
            new BackendLink.Options(Duration.ofSeconds(1), Duration.ofSeconds(3), 8));

    ZdbCluster cluster;
    DefaultZstor zstor;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws IOException {
        cluster = new ZdbCluster(dir, 6, 3);
    }

    @AfterAll
    void stopCluster() throws IOException {
        cluster.close();
    }

    @AfterEach
    void restore() {
        if (zstor != null) {
            zstor.close();
            zstor = null;
        }
        cluster.startAll();
    }

    DefaultZstor open(String extra) {
        ZstorConfig config = ZstorConfig.parse(cluster.config(4, 6, 2, 1, extra));
        zstor = new DefaultZstor(config, TUNING, BufferAllocator.heap());
        return zstor;
    }

    static byte[] seeded(long seed, int length) {
        byte[] bytes = new byte[length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; ) {
            // Runs of random bytes and of one repeated byte: some stripes compress, some do not.
            int run = Math.min(length - i, 1 + random.nextInt(200_000));
            if (random.nextBoolean()) {
                for (int j = 0; j < run; j++) {
                    bytes[i + j] = (byte) random.nextInt();
                }
            } else {
                java.util.Arrays.fill(bytes, i, i + run, (byte) random.nextInt());
            }
            i += run;
        }
        return bytes;
    }

    static ObjectInfo store(Zstor zstor, String key, byte[] content) throws IOException {
        return zstor.store(key, new ByteArrayInputStream(content), done -> { });
    }

    static byte[] retrieve(Zstor zstor, String key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        zstor.retrieve(key, out, done -> { });
        return out.toByteArray();
    }

    ZdbCluster.Node nodeOf(MetadataRecord record, int index) {
        return cluster.dataNode(record.shards().get(index).address());
    }

    @Test
    void tensOfMebibytesComeBackByteIdenticalWithTwoBackendsStopped() throws IOException {
        Zstor zstor = open("stripe_size = 1048576");
        byte[] content = seeded(1, 24 << 20);
        ObjectInfo stored = store(zstor, "chain/snapshot-0001", content);
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.pendingShards()).isEmpty();

        MetadataRecord record = this.zstor.metadata("chain/snapshot-0001");
        nodeOf(record, 0).stop();
        nodeOf(record, 5).stop();
        assertThat(retrieve(zstor, "chain/snapshot-0001")).isEqualTo(content);
    }

    @Test
    void aCorruptShardIsReportedByCheckAndRepairedByRebuild() throws IOException {
        DefaultZstor zstor = open("stripe_size = 65536");
        byte[] content = seeded(2, 200_000);
        store(zstor, "corrupt-me", content);
        MetadataRecord record = zstor.metadata("corrupt-me");
        ShardKey key = new ShardKey(ObjectHash.of("corrupt-me".getBytes(StandardCharsets.UTF_8)),
                record.shardGeneration(), 1, 2);
        try (ZdbClient direct = nodeOf(record, 2).client()) {
            byte[] shard = direct.get(key.bytes());
            shard[shard.length / 2] ^= 0x40;
            direct.set(key.bytes(), shard);
        }

        CheckReport check = zstor.check("corrupt-me");
        assertThat(check.health()).isEqualTo(Health.DEGRADED);
        assertThat(check.problems()).containsExactly(
                new ShardProblem(2, record.shards().get(2).address(), Kind.CORRUPT, 1));

        RebuildReport rebuild = zstor.rebuild("corrupt-me");
        assertThat(rebuild.rewrittenShards()).containsExactly(2);
        assertThat(rebuild.movedTo()).containsExactly(record.shards().get(2).address());
        assertThat(rebuild.after()).isEqualTo(Health.HEALTHY);
        assertThat(zstor.check("corrupt-me").health()).isEqualTo(Health.HEALTHY);
        assertThat(zstor.stat("corrupt-me").generation()).isEqualTo(record.generation() + 1);
        assertThat(retrieve(zstor, "corrupt-me")).isEqualTo(content);
    }

    @Test
    void aRebuildWritesOnlyTheStripesWhoseShardIsBad() throws IOException {
        DefaultZstor zstor = open("stripe_size = 65536");
        // Incompressible, so every stripe's shards are full size.
        byte[] content = new byte[1_000_000];
        new SplittableRandom(12).nextBytes(content);
        store(zstor, "one-bad-stripe", content);
        MetadataRecord record = zstor.metadata("one-bad-stripe");
        assertThat(record.stripes()).hasSizeGreaterThan(10);
        byte[] hash = ObjectHash.of("one-bad-stripe".getBytes(StandardCharsets.UTF_8));
        int shardBytes;
        try (ZdbClient direct = nodeOf(record, 3).client()) {
            byte[] key = new ShardKey(hash, record.shardGeneration(), 4, 3).bytes();
            shardBytes = direct.get(key).length;
            direct.del(key);
        }
        ZdbCluster.Node node = nodeOf(record, 3);
        long before = node.requestBytes();

        RebuildReport rebuild = zstor.rebuild("one-bad-stripe");

        assertThat(rebuild.rewrittenShards()).containsExactly(3);
        assertThat(rebuild.after()).isEqualTo(Health.HEALTHY);
        // The scrub's GETs are a few dozen bytes each; one shard written is one shard's bytes, all of
        // them would be the object's share of this backend, more than ten times that.
        long sent = node.requestBytes() - before;
        assertThat(sent).isBetween((long) shardBytes, 2L * shardBytes);
        assertThat(zstor.check("one-bad-stripe").health()).isEqualTo(Health.HEALTHY);
        assertThat(retrieve(zstor, "one-bad-stripe")).isEqualTo(content);
    }

    @Test
    void aReaderThatDecodesCorruptShardsFetchesTheStripeAgainWithChecksumsAndReturnsTheStoredBytes() throws IOException {
        DefaultZstor zstor = open("stripe_size = 65536");
        byte[] content = seeded(3, 300_000);
        store(zstor, "rotten", content);
        MetadataRecord record = zstor.metadata("rotten");
        for (int index : new int[] {1, 2}) {
            ShardKey key = new ShardKey(ObjectHash.of("rotten".getBytes(StandardCharsets.UTF_8)),
                    record.shardGeneration(), 2, index);
            try (ZdbClient direct = nodeOf(record, index).client()) {
                byte[] shard = direct.get(key.bytes());
                shard[shard.length / 3] ^= 0x01;
                direct.set(key.bytes(), shard);
            }
            // Rank the rotten backends first, so the first, unchecked decode of stripe 2 uses them.
            BackendHealth health = zstor.engine().backend(Backend.parse(record.shards().get(index).address(),
                    Optional.empty(), Optional.empty())).health();
            for (int i = 0; i < 50; i++) {
                health.succeeded(health.start());
            }
        }

        assertThat(retrieve(zstor, "rotten")).isEqualTo(content);
        assertThat(zstor.check("rotten").problems()).extracting(ShardProblem::shardIndex, ShardProblem::kind)
                .containsExactly(tuple(1, Kind.CORRUPT),
                        tuple(2, Kind.CORRUPT));
    }

    @Test
    void aStoreWithOneDataBackendDownSucceedsWithAPendingShardThatRebuildWrites() throws IOException {
        DefaultZstor zstor = open("stripe_size = 65536");
        cluster.data.get(3).stop();
        byte[] content = seeded(3, 300_000);
        ObjectInfo stored = store(zstor, "degraded-write", content);
        assertThat(stored.pendingShards()).hasSize(1);
        int pending = stored.pendingShards().iterator().next();
        assertThat(zstor.metadata("degraded-write").shards().get(pending).address())
                .isEqualTo(cluster.data.get(3).address());
        assertThat(retrieve(zstor, "degraded-write")).isEqualTo(content);
        assertThat(zstor.check("degraded-write").problems())
                .extracting(ShardProblem::shardIndex, ShardProblem::kind)
                .containsExactly(tuple(pending, Kind.PENDING));

        cluster.data.get(3).start();
        RebuildReport rebuild = zstor.rebuild("degraded-write");
        assertThat(rebuild.rewrittenShards()).containsExactly(pending);
        assertThat(rebuild.after()).isEqualTo(Health.HEALTHY);
        assertThat(zstor.stat("degraded-write").pendingShards()).isEmpty();
        assertThat(zstor.check("degraded-write").health()).isEqualTo(Health.HEALTHY);
        assertThat(retrieve(zstor, "degraded-write")).isEqualTo(content);
    }

    @Test
    void aRebuildWithABackendDownAndNoStandInLeavesThatShardWhereItWas() throws IOException {
        DefaultZstor zstor = open("stripe_size = 65536");
        byte[] content = seeded(13, 150_000);
        store(zstor, "no-stand-in", content);
        MetadataRecord before = zstor.metadata("no-stand-in");
        nodeOf(before, 1).stop();

        RebuildReport rebuild = zstor.rebuild("no-stand-in");
        assertThat(rebuild.rewrittenShards()).isEmpty();
        assertThat(rebuild.after()).isEqualTo(Health.DEGRADED);
        MetadataRecord after = zstor.metadata("no-stand-in");
        assertThat(after.shards()).isEqualTo(before.shards());
        assertThat(after.generation()).isEqualTo(before.generation() + 1);

        nodeOf(before, 1).start();
        assertThat(zstor.check("no-stand-in").health()).isEqualTo(Health.HEALTHY);
        assertThat(retrieve(zstor, "no-stand-in")).isEqualTo(content);
    }

    @Test
    void aFullBackendIsReplacedByTheNextOfItsGroupAndStatusShowsItsLimit() throws IOException {
        // k = 2, n = 3 over three groups of two: one shard per group, so every group has a spare. The
        // shards go to a namespace of their own, since zdb's default namespace takes no size limit.
        String toml = cluster.config(2, 3, 2, 1, "stripe_size = 65536");
        for (ZdbCluster.Node node : cluster.data) {
            try (ZdbClient admin = node.client()) {
                if (!admin.nslist().contains("limited")) {
                    admin.nsnew("limited");
                }
            }
            toml = toml.replace("address = \"" + node.address() + "\"\n",
                    "address = \"" + node.address() + "\"\nnamespace = \"limited\"\n");
        }
        zstor = new DefaultZstor(ZstorConfig.parse(toml), TUNING, BufferAllocator.heap());
        store(zstor, "probe", seeded(14, 10));
        String full = zstor.metadata("probe").shards().get(0).address();
        ZdbCluster.Node node = cluster.dataNode(full);
        try (ZdbClient admin = node.client()) {
            admin.nsset("limited", "maxsize", "1");
        }
        try {
            byte[] content = seeded(15, 100_000);
            store(zstor, "probe", content);
            MetadataRecord record = zstor.metadata("probe");
            assertThat(record.shards()).extracting(MetadataRecord.ShardLocation::address).doesNotContain(full);
            assertThat(record.pendingShards()).isEmpty();
            assertThat(retrieve(zstor, "probe")).isEqualTo(content);
            assertThat(zstor.status()).filteredOn(s -> s.id().equals(full + "/limited")).singleElement()
                    .satisfies(s -> assertThat(s.freeBytes().orElseThrow()).isLessThanOrEqualTo(1));
        } finally {
            try (ZdbClient admin = node.client()) {
                admin.nsset("limited", "maxsize", "0");
            }
        }
    }

    @Test
    void aStoreBelowTheWriteQuorumFailsNamingTheBackends() throws IOException {
        Zstor zstor = open("stripe_size = 65536\nwrite_quorum = 6");
        cluster.data.get(1).stop();
        assertThatThrownBy(() -> store(zstor, "needs-all", seeded(4, 100_000)))
                .isInstanceOf(ZstorException.class)
                .hasMessageContaining("5 of 6 shard indexes written (expected: write_quorum = 6)")
                .hasMessageContaining(cluster.data.get(1).address());
        assertThatThrownBy(() -> zstor.stat("needs-all")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void storeAndReadWorkWithAMetadataBackendDownAndReadRepairCatchesItUp() throws IOException {
        Zstor zstor = open("stripe_size = 65536");
        cluster.meta.get(0).stop();
        byte[] content = seeded(5, 150_000);
        store(zstor, "meta-degraded", content);
        assertThat(retrieve(zstor, "meta-degraded")).isEqualTo(content);

        cluster.meta.get(0).start();
        zstor.stat("meta-degraded");
        byte[] metaKey = ("/test/meta/" + java.util.HexFormat.of().formatHex(
                ObjectHash.of("meta-degraded".getBytes(StandardCharsets.UTF_8)))).getBytes(StandardCharsets.UTF_8);
        try (ZdbClient direct = cluster.meta.get(0).client()) {
            assertThat(direct.get(metaKey)).isNotNull();
        }
    }

    @Test
    void anObjectDeletedWhileAMetadataBackendWasDownStaysDeleted() throws IOException {
        Zstor zstor = open("stripe_size = 65536");
        store(zstor, "doomed", seeded(6, 70_000));
        store(zstor, "kept", seeded(7, 10));
        cluster.meta.get(0).stop();
        assertThat(zstor.delete("doomed")).isTrue();
        cluster.meta.get(0).start();
        // Now meta 0 (which missed the delete) and meta 2 (which holds the tombstone) answer.
        cluster.meta.get(1).stop();
        assertThatThrownBy(() -> zstor.stat("doomed")).isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("no object stored under key \"doomed\"");
        assertThat(zstor.list()).extracting(ObjectInfo::key).contains("kept").doesNotContain("doomed");
        assertThat(zstor.delete("doomed")).isFalse();
    }

    @Test
    void listShowsLiveObjectsInKeyOrderAndOverwritingMakesANewGeneration() throws IOException {
        DefaultZstor zstor = open("stripe_size = 65536");
        store(zstor, "list/b", seeded(8, 1000));
        store(zstor, "list/a", seeded(9, 1000));
        ObjectInfo first = store(zstor, "list/c", seeded(10, 100_000));
        MetadataRecord old = zstor.metadata("list/c");
        byte[] replacement = seeded(11, 5000);
        ObjectInfo second = store(zstor, "list/c", replacement);

        assertThat(second.generation()).isGreaterThan(first.generation());
        assertThat(retrieve(zstor, "list/c")).isEqualTo(replacement);
        assertThat(zstor.list()).extracting(ObjectInfo::key).containsSubsequence("list/a", "list/b", "list/c");
        ShardKey oldShard = new ShardKey(ObjectHash.of("list/c".getBytes(StandardCharsets.UTF_8)),
                old.shardGeneration(), 0, 0);
        try (ZdbClient direct = nodeOf(old, 0).client()) {
            assertThat(direct.exists(oldShard.bytes())).as("the old version's shards are deleted").isFalse();
        }
    }

    @Test
    void twoProcessesStoringOneKeyAtOnceLeaveOneWholeVersion() throws Exception {
        DefaultZstor one = open("stripe_size = 65536");
        // A second client with its own locks, as another process on the same backends would be.
        try (DefaultZstor other = new DefaultZstor(ZstorConfig.parse(cluster.config(4, 6, 2, 1, "stripe_size = 65536")),
                TUNING, BufferAllocator.heap())) {
            for (int round = 0; round < 8; round++) {
                byte[] a = seeded(100 + round, 300_000);
                byte[] b = seeded(200 + round, 250_000);
                CyclicBarrier start = new CyclicBarrier(2);
                try (ExecutorService writers = Executors.newFixedThreadPool(2)) {
                    Future<ObjectInfo> first = writers.submit(() -> {
                        start.await();
                        return store(one, "contested", a);
                    });
                    Future<ObjectInfo> second = writers.submit(() -> {
                        start.await();
                        return store(other, "contested", b);
                    });
                    assertThat(first.get().generation()).as("round %d", round).isNotEqualTo(second.get().generation());
                }
                byte[] read = retrieve(one, "contested");
                assertThat(read).as("round %d", round).satisfiesAnyOf(r -> assertThat(r).isEqualTo(a),
                        r -> assertThat(r).isEqualTo(b));
                assertThat(retrieve(other, "contested")).isEqualTo(read);
            }
        }
    }

    @Test
    void anUnrecoverableObjectNamesTheStripeAndEveryUnusableShard() throws IOException {
        DefaultZstor zstor = open("stripe_size = 65536");
        store(zstor, "lost", seeded(12, 100_000));
        MetadataRecord record = zstor.metadata("lost");
        nodeOf(record, 0).stop();
        nodeOf(record, 2).stop();
        nodeOf(record, 4).stop();
        assertThatThrownBy(() -> retrieve(zstor, "lost"))
                .isInstanceOf(UnrecoverableObjectException.class)
                .hasMessageContaining("object \"lost\" cannot be read: stripe 0 has 3 good shards of 6 (expected: at least 4)")
                .hasMessageContaining("shard 0 on " + record.shards().get(0).address())
                .hasMessageContaining("shard 2 on " + record.shards().get(2).address())
                .hasMessageContaining("shard 4 on " + record.shards().get(4).address());
        assertThat(zstor.check("lost").health()).isEqualTo(Health.LOST);
    }

    /** Counts the buffers zstor's pipeline asks for. */
    static final class CountingAllocator implements BufferAllocator {
        final java.util.concurrent.atomic.AtomicInteger buffers = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public byte[] allocate(int size) {
            buffers.incrementAndGet();
            return new byte[size];
        }
    }

    @Test
    void memoryDoesNotGrowWithTheObject() throws IOException {
        ZstorConfig config = ZstorConfig.parse(cluster.config(4, 6, 2, 1, "stripe_size = 65536"));
        int[] storeBuffers = new int[2];
        int[] retrieveBuffers = new int[2];
        int[] stripes = {4, 40};
        for (int i = 0; i < 2; i++) {
            CountingAllocator allocator = new CountingAllocator();
            try (DefaultZstor counted = new DefaultZstor(config, TUNING, allocator)) {
                byte[] content = seeded(30 + i, stripes[i] * 65536);
                store(counted, "sized-" + i, content);
                storeBuffers[i] = allocator.buffers.getAndSet(0);
                assertThat(retrieve(counted, "sized-" + i)).isEqualTo(content);
                retrieveBuffers[i] = allocator.buffers.get();
            }
        }
        // Reader 2 + sealer 2 + at most 3 stripes in flight of 6 shard buffers, whatever the size (how
        // many of the 3 sets get allocated depends on how fast the backends answer).
        int bound = 2 + 2 + TUNING.stripesInFlight() * 6;
        assertThat(storeBuffers[0]).isLessThanOrEqualTo(bound);
        assertThat(storeBuffers[1]).isLessThanOrEqualTo(bound);
        // Retrieve: the sealer's 2, one plaintext stripe, and one sealed stripe per stripe read ahead.
        assertThat(retrieveBuffers[1]).isEqualTo(retrieveBuffers[0]).isEqualTo(2 + 1 + TUNING.readAhead());
    }

    @Test
    void anEmptyObjectAndAMissingKey() throws IOException {
        Zstor zstor = open("");
        ObjectInfo empty = store(zstor, "empty", new byte[0]);
        assertThat(empty.size()).isZero();
        assertThat(retrieve(zstor, "empty")).isEmpty();
        assertThat(zstor.check("empty").health()).isEqualTo(Health.HEALTHY);
        assertThatThrownBy(() -> retrieve(zstor, "never-stored")).isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("no object stored under key \"never-stored\"");
        assertThat(zstor.delete("never-stored")).isFalse();
    }

    @Test
    void statusReportsEveryBackendAndWhyOneIsUnreachable() {
        Zstor zstor = open("");
        cluster.data.get(2).stop();
        List<BackendStatus> status = zstor.status();
        assertThat(status).hasSize(9);
        assertThat(status).filteredOn(BackendStatus::reachable).hasSize(8)
                .allSatisfy(s -> assertThat(s.freeBytes()).isPresent());
        BackendStatus down = status.stream().filter(s -> !s.reachable()).findFirst().orElseThrow();
        assertThat(down.id()).isEqualTo(cluster.data.get(2).address());
        assertThat(down.role()).isEqualTo(BackendStatus.Role.DATA);
        assertThat(down.error().orElseThrow()).contains(cluster.data.get(2).address());
    }
}
