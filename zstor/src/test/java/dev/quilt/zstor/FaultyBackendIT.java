package dev.quilt.zstor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.testkit.Await;
import dev.quilt.testkit.FaultProxy;
import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.BackendHealth;
import dev.quilt.zstor.backend.BackendLink;
import dev.quilt.zstor.config.ZstorConfig;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.pipeline.BufferAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One data backend sits behind testkit's fault proxy and misbehaves while the object is read: it stalls
 * its replies, or cuts connections in the middle of a reply. Retrieve must still return exactly the
 * stored bytes (hedging and erasures route around it). Only correctness is asserted, never time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultyBackendIT {

    ZdbCluster cluster;
    FaultProxy proxy;
    FaultProxy metaProxy;
    DefaultZstor zstor;
    MetadataRecord record;
    byte[] content;
    String toml;

    @BeforeAll
    void storeThroughAHealthyProxy(@TempDir Path dir) throws IOException {
        cluster = new ZdbCluster(dir, 6, 3);
        ZdbCluster.Node faulty = cluster.data.get(0);
        proxy = FaultProxy.start(faulty.serverPort());
        ZdbCluster.Node faultyMeta = cluster.meta.get(0);
        metaProxy = FaultProxy.start(faultyMeta.serverPort());
        toml = cluster.config(4, 6, 2, 1, "stripe_size = 65536")
                .replace("\"" + faulty.address() + "\"", "\"127.0.0.1:" + proxy.port() + "\"")
                .replace("\"" + faultyMeta.address() + "\"", "\"127.0.0.1:" + metaProxy.port() + "\"");
        // A short read timeout, so stalled calls give their pooled connections back soon; not shorter than
        // a cold JVM's first calls take on a busy host (2 s failed the first metadata read at load 20).
        zstor = new DefaultZstor(ZstorConfig.parse(toml), new Engine.Tuning(3, 3,
                new BackendLink.Options(Duration.ofSeconds(2), Duration.ofSeconds(5), 8)), BufferAllocator.heap());
        content = ZstorClusterIT.seeded(21, 1_500_000);
        ZstorClusterIT.store(zstor, "through-a-proxy", content);
        record = zstor.metadata("through-a-proxy");
        assertThat(record.shards()).extracting(MetadataRecord.ShardLocation::address)
                .contains("127.0.0.1:" + proxy.port());
    }

    @AfterAll
    void stop() throws IOException {
        zstor.close();
        proxy.close();
        metaProxy.close();
        cluster.close();
    }

    /**
     * Makes the faulty backend look like the fastest, so the reader asks it first for every stripe
     * (until its failures rank it last), and returns its health to check that the fault was hit.
     */
    BackendHealth favourFaulty() {
        BackendHealth health = zstor.engine().backend(
                Backend.parse("127.0.0.1:" + proxy.port(), Optional.empty(), Optional.empty())).health();
        for (int i = 0; i < 50; i++) {
            health.succeeded(health.start());
        }
        return health;
    }

    @Test
    void aStalledBackendDoesNotStopARetrieve() throws IOException {
        BackendHealth health = favourFaulty();
        proxy.stall();
        try {
            assertThat(ZstorClusterIT.retrieve(zstor, "through-a-proxy")).isEqualTo(content);
            Await.until(() -> !health.healthy(), Duration.ofSeconds(20),
                    () -> "the stalled backend was never asked: " + health.consecutiveFailures() + " failures");
        } finally {
            proxy.passThrough();
        }
    }

    @Test
    void aBackendThatCutsConnectionsMidReplyDoesNotStopARetrieve() throws IOException {
        BackendHealth health = favourFaulty();
        // Counted, not read from lastError(): a reply held back by an earlier test's stall may land as a
        // success meanwhile and clear it.
        long failuresBefore = health.failures();
        proxy.cutAfterReplyBytes(1000);
        try {
            assertThat(ZstorClusterIT.retrieve(zstor, "through-a-proxy")).isEqualTo(content);
            assertThat(health.failures()).as("the backend was asked and cut").isGreaterThan(failuresBefore);
        } finally {
            proxy.passThrough();
        }
    }

    @Test
    void aStalledMetadataBackendDoesNotStopStoreRetrieveOrDelete() throws IOException {
        metaProxy.stall();
        try {
            byte[] other = ZstorClusterIT.seeded(22, 100_000);
            ZstorClusterIT.store(zstor, "meta-stalled", other);
            assertThat(ZstorClusterIT.retrieve(zstor, "meta-stalled")).isEqualTo(other);
            assertThat(zstor.delete("meta-stalled")).isTrue();
            assertThat(zstor.list()).extracting(ObjectInfo::key).doesNotContain("meta-stalled");
        } finally {
            metaProxy.passThrough();
        }
    }

    /**
     * The backend stalls while an object is stored, under a read timeout far longer than the test: the
     * store returns with that backend's index pending while its write is still outstanding (it has not
     * failed: the store did not wait for it), the object reads back, check calls it degraded, and once
     * the backend answers again rebuild heals it.
     */
    @Test
    void aStalledBackendDoesNotHoldUpAStore() throws IOException {
        String stalled = "127.0.0.1:" + proxy.port();
        try (DefaultZstor patient = new DefaultZstor(ZstorConfig.parse(toml), new Engine.Tuning(3, 3,
                new BackendLink.Options(Duration.ofSeconds(1), Duration.ofMinutes(10), 8)), BufferAllocator.heap())) {
            BackendHealth writes = patient.engine().backend(
                    Backend.parse(stalled, Optional.empty(), Optional.empty())).writeHealth();
            byte[] other = ZstorClusterIT.seeded(23, 600_000);
            proxy.stall();
            ObjectInfo stored;
            try {
                stored = ZstorClusterIT.store(patient, "stalled-write", other);
                assertThat(writes.failures()).as("the stalled write is still outstanding").isZero();
                MetadataRecord written = patient.metadata("stalled-write");
                int index = written.shards().stream().map(MetadataRecord.ShardLocation::address).toList()
                        .indexOf(stalled);
                assertThat(index).isNotNegative();
                assertThat(written.shards().get(index).pending()).isTrue();
                assertThat(stored.pendingShards()).containsExactly(index);
                assertThat(ZstorClusterIT.retrieve(patient, "stalled-write")).isEqualTo(other);
                CheckReport check = patient.check("stalled-write");
                assertThat(check.health()).isEqualTo(CheckReport.Health.DEGRADED);
                assertThat(check.problems()).extracting(CheckReport.ShardProblem::shardIndex,
                        CheckReport.ShardProblem::kind)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(index,
                                CheckReport.ShardProblem.Kind.PENDING));
            } finally {
                proxy.passThrough();
            }
            RebuildReport rebuild = patient.rebuild("stalled-write");
            assertThat(rebuild.after()).isEqualTo(CheckReport.Health.HEALTHY);
            assertThat(patient.check("stalled-write").health()).isEqualTo(CheckReport.Health.HEALTHY);
            assertThat(ZstorClusterIT.retrieve(patient, "stalled-write")).isEqualTo(other);
            assertThat(patient.delete("stalled-write")).isTrue();
        }
    }

    @Test
    void aBackendThatRefusesConnectionsDoesNotStopARetrieve() throws IOException {
        proxy.cutOpenConnections();
        proxy.refuseNewConnections();
        try {
            assertThat(ZstorClusterIT.retrieve(zstor, "through-a-proxy")).isEqualTo(content);
        } finally {
            proxy.passThrough();
        }
    }
}
