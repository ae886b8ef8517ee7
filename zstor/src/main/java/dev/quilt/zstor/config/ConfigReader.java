package dev.quilt.zstor.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.BackendGroup;
import dev.quilt.zstor.backend.ShardLayout;
import dev.quilt.zstor.config.ZstorConfig.Compression;
import dev.quilt.zstor.config.ZstorConfig.Host;
import dev.quilt.zstor.config.ZstorConfig.Meta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns TOML into a {@link ZstorConfig}: walks the tree by hand so every unknown key, wrong type
 * and impossible value is refused with its dotted key (0-stor_v2 gets the same strictness from
 * serde's {@code deny_unknown_fields}). Stateless.
 */
final class ConfigReader {

    private static final TomlMapper MAPPER = new TomlMapper();

    private static final Set<String> TOP = Set.of("minimal_shards", "expected_shards", "redundant_groups",
            "redundant_nodes", "stripe_size", "write_quorum", "root", "socket", "pid_file", "zdb_data_dir_path",
            "max_zdb_data_dir_size", "zdbfs_mountpoint", "prometheus_port", "encryption", "compression", "meta",
            "groups");
    private static final Map<String, String> RENAMED = Map.of(
            "data_shards", "renamed minimal_shards in 0-stor_v2 (Oct 2021); use minimal_shards",
            "parity_shards", "replaced by expected_shards = data + parity shards in 0-stor_v2 (Oct 2021)");

    private ConfigReader() {
    }

    static ZstorConfig read(String toml) {
        JsonNode root;
        try {
            root = MAPPER.readTree(toml);
        } catch (JacksonException e) {
            throw new ConfigException("", "not valid TOML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("", "empty configuration (expected: minimal_shards, expected_shards, "
                    + "[encryption], [meta] and [[groups]])");
        }
        allowOnly(root, "", TOP);

        int k = integer(root, "", "minimal_shards").orElseThrow(() -> missing("minimal_shards"));
        int n = integer(root, "", "expected_shards").orElseThrow(() -> missing("expected_shards"));
        int rg = integer(root, "", "redundant_groups").orElse(0);
        int rn = integer(root, "", "redundant_nodes").orElse(0);
        int stripeSize = integer(root, "", "stripe_size").orElse(ZstorConfig.DEFAULT_STRIPE_SIZE);
        check(k >= 1, "minimal_shards", k, ">= 1");
        check(n >= k, "expected_shards", n, ">= minimal_shards = " + k);
        check(n <= ZstorConfig.MAX_SHARDS, "expected_shards", n, "<= " + ZstorConfig.MAX_SHARDS);
        check(rg >= 0, "redundant_groups", rg, ">= 0");
        check(rn >= 0, "redundant_nodes", rn, ">= 0");
        check(stripeSize >= ZstorConfig.MIN_STRIPE_SIZE && stripeSize <= ZstorConfig.MAX_STRIPE_SIZE,
                "stripe_size", stripeSize, ZstorConfig.MIN_STRIPE_SIZE + ".." + ZstorConfig.MAX_STRIPE_SIZE + " bytes");
        long shard = ZstorConfig.maxShardLength(stripeSize, k);
        check(shard <= ZstorConfig.MAX_SHARD_BYTES, "stripe_size", stripeSize, "<= " + ZstorConfig.MAX_SHARD_BYTES
                + " bytes per shard; with minimal_shards = " + k + " a stripe makes shards of " + shard
                + " bytes, over zdb's value limit: lower stripe_size or raise minimal_shards");
        int writeQuorum = integer(root, "", "write_quorum").orElse(Math.min(n, k + 1));
        check(writeQuorum >= k && writeQuorum <= n, "write_quorum", writeQuorum, k + ".." + n
                + " (minimal_shards..expected_shards) shards written per stripe");

        MasterKey key = encryption(table(root, "", "encryption").orElseThrow(() -> missing("encryption")),
                "encryption");
        Compression compression = compression(table(root, "", "compression"));
        Meta meta = meta(table(root, "", "meta").orElseThrow(() -> missing("meta")), key);
        List<BackendGroup> groups = groups(root.get("groups"));
        layout(groups, k, n, rg, rn);
        Host host = new Host(path(root, "root"), path(root, "socket"), path(root, "pid_file"),
                path(root, "zdb_data_dir_path"), positiveLong(root, "max_zdb_data_dir_size"),
                path(root, "zdbfs_mountpoint"), port(root));
        return new ZstorConfig(k, n, rg, rn, stripeSize, writeQuorum, key, compression, meta, groups, host);
    }

    private static MasterKey encryption(JsonNode table, String at) {
        allowOnly(table, at, Set.of("algorithm", "key"));
        String algorithm = string(table, at, "algorithm").orElse("AES");
        if (!algorithm.equalsIgnoreCase("AES") && !algorithm.equalsIgnoreCase("AES-256-GCM")) {
            throw new ConfigException(at + ".algorithm", "\"" + algorithm + "\" (expected: \"AES\", AES-256-GCM)");
        }
        String hex = string(table, at, "key").orElseThrow(() -> missing(at + ".key"));
        try {
            return MasterKey.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + ".key", e.getMessage());
        }
    }

    private static Compression compression(Optional<JsonNode> table) {
        if (table.isEmpty()) {
            return new Compression(Compression.Algorithm.ZSTD, Compression.DEFAULT_LEVEL);
        }
        JsonNode t = table.get();
        allowOnly(t, "compression", Set.of("algorithm", "level"));
        String name = string(t, "compression", "algorithm").orElse("zstd").toLowerCase(Locale.ROOT);
        Compression.Algorithm algorithm = switch (name) {
            // 0-stor_v2's only value; the record of each stripe says how it was written, so
            // a ported config simply compresses new objects with zstd.
            case "zstd", "snappy" -> Compression.Algorithm.ZSTD;
            case "none" -> Compression.Algorithm.NONE;
            default -> throw new ConfigException("compression.algorithm",
                    "\"" + name + "\" (expected: \"zstd\", \"none\", or 0-stor_v2's \"snappy\" which means zstd)");
        };
        int level = integer(t, "compression", "level").orElse(Compression.DEFAULT_LEVEL);
        check(level >= 1 && level <= 22, "compression.level", level, "1..22");
        return new Compression(algorithm, level);
    }

    private static Meta meta(JsonNode table, MasterKey key) {
        allowOnly(table, "meta", Set.of("type", "config"));
        String type = string(table, "meta", "type").orElse("zdb");
        if (!type.equals("zdb")) {
            throw new ConfigException("meta.type", "\"" + type + "\" (expected: \"zdb\")");
        }
        JsonNode config = table(table, "meta", "config").orElseThrow(() -> missing("meta.config"));
        allowOnly(config, "meta.config", Set.of("prefix", "encryption", "backends", "write_quorum"));
        String prefix = string(config, "meta.config", "prefix").orElse("zstor");
        if (prefix.isEmpty() || prefix.contains("/")) {
            throw new ConfigException("meta.config.prefix", "\"" + prefix + "\" (expected: non-empty, no '/')");
        }
        Optional<JsonNode> encryption = table(config, "meta.config", "encryption");
        if (encryption.isPresent() && !encryption(encryption.get(), "meta.config.encryption").equals(key)) {
            throw new ConfigException("meta.config.encryption.key", "differs from encryption.key (expected: the same"
                    + " key or no [meta.config.encryption]; zstor has one master key, and 0-stor_v2 itself"
                    + " encrypted metadata with encryption.key)");
        }
        List<Backend> backends = backends(config.get("backends"), "meta.config.backends");
        check(backends.size() >= 3, "meta.config.backends", backends.size(), ">= 3 metadata backends");
        distinct(backends, "meta.config.backends");
        int majority = backends.size() / 2 + 1;
        int quorum = integer(config, "meta.config", "write_quorum").orElse(majority);
        check(quorum >= majority && quorum <= backends.size(), "meta.config.write_quorum", quorum,
                majority + ".." + backends.size() + ", a majority of the " + backends.size() + " metadata backends");
        return new Meta(prefix, backends, quorum);
    }

    private static List<BackendGroup> groups(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new ConfigException("groups", "missing (expected: at least one [[groups]] with [[groups.backends]])");
        }
        List<BackendGroup> groups = new ArrayList<>();
        List<Backend> all = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "groups[" + i + "]";
            JsonNode group = node.get(i);
            if (!group.isObject()) {
                throw new ConfigException(at, "not a table (expected: [[groups]])");
            }
            allowOnly(group, at, Set.of("backends"));
            List<Backend> backends = backends(group.get("backends"), at + ".backends");
            all.addAll(backends);
            groups.add(new BackendGroup(backends));
        }
        distinct(all, "groups");
        return groups;
    }

    private static List<Backend> backends(JsonNode node, String at) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new ConfigException(at, "missing or empty (expected: one table per backend with address,"
                    + " optional namespace and password)");
        }
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String here = at + "[" + i + "]";
            JsonNode b = node.get(i);
            if (!b.isObject()) {
                throw new ConfigException(here, "not a table (expected: address, optional namespace and password)");
            }
            allowOnly(b, here, Set.of("address", "namespace", "password", "admin_password"));
            String address = string(b, here, "address").orElseThrow(() -> missing(here + ".address"));
            Optional<String> namespace = string(b, here, "namespace");
            Optional<String> admin = string(b, here, "admin_password");
            if (admin.isPresent() && namespace.isEmpty()) {
                throw new ConfigException(here + ".admin_password",
                        "set without namespace (expected: only with a namespace, which it is used to create)");
            }
            try {
                backends.add(Backend.parse(address, namespace, string(b, here, "password")).withAdminPassword(admin));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(here + ".address", e.getMessage());
            }
        }
        return backends;
    }

    private static void layout(List<BackendGroup> groups, int k, int n, int rg, int rn) {
        int[] sizes = groups.stream().mapToInt(BackendGroup::size).toArray();
        int total = 0;
        for (int size : sizes) {
            total += size;
        }
        check(total >= n, "groups", total, ">= expected_shards = " + n + " data backends; add backends"
                + " or lower expected_shards");
        if (ShardLayout.plan(sizes, k, n, rg, rn).isPresent()) {
            return;
        }
        String problem = String.format(Locale.ROOT, "no placement of %d shards (k = %d) over %d groups of sizes %s"
                + " keeps %d shards after losing %d whole groups and %d backends in each other group", n, k,
                sizes.length, java.util.Arrays.toString(sizes), k, rg, rn);
        boolean groupsAlone = ShardLayout.plan(sizes, k, n, rg, 0).isPresent();
        if (groupsAlone) {
            throw new ConfigException("redundant_nodes", rn + ": " + problem
                    + " (expected: lower redundant_nodes, more parity in expected_shards, or more backends per group)");
        }
        throw new ConfigException("redundant_groups", rg + ": " + problem
                + " (expected: lower redundant_groups, more parity in expected_shards, or more groups)");
    }

    private static void distinct(List<Backend> backends, String at) {
        Set<String> seen = new HashSet<>();
        for (Backend b : backends) {
            if (!seen.add(b.id())) {
                throw new ConfigException(at, "backend " + b.id() + " is listed twice (expected: each backend once)");
            }
        }
    }

    private static void allowOnly(JsonNode table, String at, Set<String> allowed) {
        for (Iterator<String> names = table.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String key = at.isEmpty() ? name : at + "." + name;
                String hint = at.isEmpty() && RENAMED.containsKey(name) ? RENAMED.get(name)
                        : "unknown key (expected one of: " + String.join(", ", allowed.stream().sorted().toList()) + ")";
                throw new ConfigException(key, hint);
            }
        }
    }

    private static Optional<JsonNode> table(JsonNode parent, String at, String name) {
        JsonNode node = parent.get(name);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new ConfigException(join(at, name), "not a table (expected: [" + join(at, name) + "])");
        }
        return Optional.of(node);
    }

    private static Optional<String> string(JsonNode parent, String at, String name) {
        JsonNode node = parent.get(name);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new ConfigException(join(at, name), node + " (expected: a string)");
        }
        return Optional.of(node.textValue());
    }

    private static OptionalInt integer(JsonNode parent, String at, String name) {
        JsonNode node = parent.get(name);
        if (node == null) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ConfigException(join(at, name), node + " (expected: an integer)");
        }
        return OptionalInt.of(node.intValue());
    }

    private static Optional<Path> path(JsonNode root, String name) {
        return string(root, "", name).map(Path::of);
    }

    private static OptionalLong positiveLong(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null) {
            return OptionalLong.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            throw new ConfigException(name, node + " (expected: a positive integer, MiB)");
        }
        return OptionalLong.of(node.longValue());
    }

    private static OptionalInt port(JsonNode root) {
        OptionalInt port = integer(root, "", "prometheus_port");
        port.ifPresent(p -> check(p >= 1 && p <= 65535, "prometheus_port", p, "1..65535"));
        return port;
    }

    private static void check(boolean ok, String key, long value, String expected) {
        if (!ok) {
            throw new ConfigException(key, value + " (expected: " + expected + ")");
        }
    }

    private static ConfigException missing(String key) {
        return new ConfigException(key, "missing (expected: see the example configuration)");
    }

    private static String join(String at, String name) {
        return at.isEmpty() ? name : at + "." + name;
    }
}
