package dev.quilt.zstor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.BackendGroup;
import dev.quilt.zstor.config.ZstorConfig.Compression;
import java.nio.file.Path;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ZstorConfigTest {

    static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    /** A 0-stor_v2 config as its README shows it: 2+2 layout, exactly 4 metadata backends. */
    static final String ZERO_STOR = """
            minimal_shards = 2
            expected_shards = 4
            redundant_groups = 0
            redundant_nodes = 0
            root = "/virtualroot"
            socket = "/tmp/zstor.sock"
            prometheus_port = 9100
            zdb_data_dir_path = "/tmp/0-db/data"
            max_zdb_data_dir_size = 25600

            [encryption]
            algorithm = "AES"
            key = "%1$s"

            [compression]
            algorithm = "snappy"

            [meta]
            type = "zdb"

            [meta.config]
            prefix = "someprefix"

            [meta.config.encryption]
            algorithm = "AES"
            key = "%1$s"

            [[meta.config.backends]]
            address = "[2a02:1802:5e::dead:beef]:9900"
            namespace = "test2"
            password = "supersecretpass"

            [[meta.config.backends]]
            address = "[2a02:1802:5e::dead:f00d]:9900"
            namespace = "test2"
            password = "supersecretpass"

            [[meta.config.backends]]
            address = "[2a02:1802:5e::dead:beef]:9901"
            namespace = "test2"

            [[meta.config.backends]]
            address = "[2a02:1802:5e::dead:f00d]:9901"
            namespace = "test2"

            [[groups]]
            [[groups.backends]]
            address = "[fe80::1]:9900"

            [[groups.backends]]
            address = "[fe80::1]:9900"
            namespace = "test"

            [[groups]]
            [[groups.backends]]
            address = "[2a02:1802:5e::223]:9900"
            namespace = "test"
            password = "supersecretpass"

            [[groups.backends]]
            address = "[2a02:1802:5e::123]:9900"
            """.formatted(KEY);

    @Test
    void loadsAZeroStorV2ConfigUnchanged() {
        ZstorConfig config = ZstorConfig.parse(ZERO_STOR);

        assertThat(config.minimalShards()).isEqualTo(2);
        assertThat(config.parityShards()).isEqualTo(2);
        assertThat(config.compression().algorithm()).isEqualTo(Compression.Algorithm.ZSTD);
        assertThat(config.meta().prefix()).isEqualTo("someprefix");
        assertThat(config.meta().backends()).hasSize(4);
        assertThat(config.meta().writeQuorum()).isEqualTo(3);
        assertThat(config.groups()).extracting(BackendGroup::size).containsExactly(2, 2);
        assertThat(config.groups().get(1).backends().get(0))
                .isEqualTo(new Backend("2a02:1802:5e::223", 9900, Optional.of("test"), Optional.of("supersecretpass")));
        assertThat(config.host().root()).contains(Path.of("/virtualroot"));
        assertThat(config.host().prometheusPort()).hasValue(9100);
        assertThat(config.masterKey()).isEqualTo(MasterKey.fromHex(KEY));
        assertThat(config.stripeSize()).isEqualTo(ZstorConfig.DEFAULT_STRIPE_SIZE);
    }

    @Test
    void loadsTheExampleConfig() throws Exception {
        ZstorConfig config = ZstorConfig.load(Path.of("example-config.toml"));

        assertThat(config.expectedShards()).isEqualTo(6);
        assertThat(config.redundantGroups()).isEqualTo(1);
        assertThat(config.meta().writeQuorum()).isEqualTo(2);
        assertThat(config.writeQuorum()).isEqualTo(5);
        assertThat(config.groups()).hasSize(3);
    }

    @Test
    void doesNotPrintSecrets() {
        String text = ZstorConfig.parse(ZERO_STOR).toString();
        assertThat(text).doesNotContain("supersecretpass").doesNotContain(KEY).doesNotContain("0001020304");
    }

    @Test
    void refusesUnknownKeysNamingThem() {
        refused(ZERO_STOR.replace("redundant_nodes = 0", "redundant_nodes = 0\nredundnat_groups = 1"),
                "redundnat_groups", "unknown key");
        refused(ZERO_STOR.replace("namespace = \"test\"\npassword", "namespac = \"test\"\npassword"),
                "groups[1].backends[0].namespac", "unknown key");
        refused(ZERO_STOR.replace("prefix = \"someprefix\"", "prefix = \"p\"\nquorum = 2"),
                "meta.config.quorum", "unknown key");
        refused(ZERO_STOR.replace("minimal_shards = 2", "data_shards = 2"), "data_shards", "use minimal_shards");
    }

    @Test
    void refusesFewerBackendsThanShards() {
        refused(ZERO_STOR.replace("expected_shards = 4", "expected_shards = 5"), "groups",
                "4 (expected: >= expected_shards = 5");
    }

    @Test
    void refusesMoreLostGroupsThanTheCodeSurvives() {
        // Two groups of two and m = 2: losing a whole group loses 2 shards, which m covers;
        // losing both groups cannot be survived.
        assertThat(ZstorConfig.parse(ZERO_STOR.replace("redundant_groups = 0", "redundant_groups = 1"))
                .redundantGroups()).isEqualTo(1);
        refused(ZERO_STOR.replace("redundant_groups = 0", "redundant_groups = 2"), "redundant_groups",
                "no placement of 4 shards");
        refused(ZERO_STOR.replace("redundant_nodes = 0", "redundant_nodes = 2"), "redundant_nodes",
                "lower redundant_nodes");
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        refused(ZERO_STOR.replace("expected_shards = 4", "expected_shards = 1"), "expected_shards",
                "1 (expected: >= minimal_shards = 2)");
        refused(ZERO_STOR.replace("key = \"" + KEY + "\"\n\n[compression]", "key = \"abc\"\n\n[compression]"),
                "encryption.key", "expected: 64 hex characters");
        refused(ZERO_STOR.replaceFirst("key = \"" + KEY + "\"\n\n\\[\\[meta",
                "key = \"" + KEY.replace('0', 'f') + "\"\n\n[[meta"), "meta.config.encryption.key", "one master key");
        refused(ZERO_STOR.replace("[fe80::1]:9900\"\nnamespace", "fe80::1:9900\"\nnamespace"),
                "groups[0].backends[1].address", "[ipv6]:port");
        refused(ZERO_STOR.replace("algorithm = \"snappy\"", "algorithm = \"lz4\""), "compression.algorithm", "zstd");
        refused(ZERO_STOR.replace("prefix = \"someprefix\"", "prefix = \"p\"\nwrite_quorum = 2"),
                "meta.config.write_quorum", "2 (expected: 3..4");
        refused(ZERO_STOR.replace("minimal_shards = 2", "minimal_shards = \"2\""), "minimal_shards",
                "expected: an integer");
        refused("minimal_shards = [", "", "not valid TOML");
    }

    @Test
    void writeQuorumDefaultsToOneMoreThanKAndStaysInKToN() {
        assertThat(ZstorConfig.parse(ZERO_STOR).writeQuorum()).isEqualTo(3);
        assertThat(ZstorConfig.parse("write_quorum = 4\n" + ZERO_STOR).writeQuorum()).isEqualTo(4);
        refused("write_quorum = 1\n" + ZERO_STOR, "write_quorum", "1 (expected: 2..4");
        refused("write_quorum = 5\n" + ZERO_STOR, "write_quorum", "5 (expected: 2..4");
    }

    @Test
    void refusesAStripeSizeWhoseShardsExceedZdbsValueLimit() {
        // k = 2: a 16 MiB stripe seals to 16 MiB + 256 tags and makes shards of 8 MiB + 2048 bytes;
        // 4 KiB less input is exactly two 8 MiB shards.
        refused("stripe_size = 16777216\n" + ZERO_STOR, "stripe_size", "over zdb's value limit");
        assertThat(ZstorConfig.parse("stripe_size = 16773120\n" + ZERO_STOR).stripeSize()).isEqualTo(16773120);
        assertThat(ZstorConfig.maxShardLength(16773120, 2)).isEqualTo(8 << 20);
        assertThat(ZstorConfig.maxShardLength(16773120, 2) * 2)
                .isEqualTo(dev.quilt.zstor.pipeline.ObjectCipher.sealedLength(16773120));
    }

    @Test
    void refusesFewerThanThreeMetadataBackends() {
        String two = ZERO_STOR.replaceFirst("(?s)\\[\\[meta.config.backends]]\naddress = \"\\[2a02:1802:5e::dead:beef]:9901\"\n"
                + "namespace = \"test2\"\n\n\\[\\[meta.config.backends]]\naddress = \"\\[2a02:1802:5e::dead:f00d]:9901\"\n"
                + "namespace = \"test2\"\n", "");
        refused(two, "meta.config.backends", "2 (expected: >= 3");
    }

    @Test
    void refusesABackendListedTwice() {
        refused(ZERO_STOR.replace("[2a02:1802:5e::123]:9900", "[2a02:1802:5e::223]:9900\"\nnamespace = \"test"),
                "groups", "listed twice");
    }

    @Test
    void readsABackendsAdminPasswordOnlyWithANamespace() {
        ZstorConfig config = ZstorConfig.parse(ZERO_STOR.replace("""
                address = "[2a02:1802:5e::223]:9900"
                namespace = "test"
                """, """
                address = "[2a02:1802:5e::223]:9900"
                namespace = "test"
                admin_password = "adminpass"
                """));
        assertThat(config.groups().get(1).backends().get(0).adminPassword()).contains("adminpass");
        assertThat(config.toString()).doesNotContain("adminpass");
        refused(ZERO_STOR.replace("address = \"[2a02:1802:5e::123]:9900\"",
                        "address = \"[2a02:1802:5e::123]:9900\"\nadmin_password = \"x\""),
                "groups[1].backends[1].admin_password", "set without namespace");
    }

    private static void refused(String toml, String key, String message) {
        ThrowingCallable parse = () -> ZstorConfig.parse(toml);
        assertThatThrownBy(parse).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.getMessage()).startsWith(key.isEmpty() ? "" : key + ": ").contains(message);
        });
    }
}
