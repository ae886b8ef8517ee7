package dev.quilt.node;

import dev.quilt.common.codec.CanonicalCodec;
import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Canonical encoding of deployment documents and their signed envelopes, in the rules of
 * {@code dev.quilt.common.codec} (big-endian fixed-width integers, 4-byte lengths, presence
 * bytes, maps as lists sorted by key). Golden vectors: {@code vectors/deployment-v1.hex},
 * {@code vectors/deployment-thin-v1.hex}.
 *
 * <pre>
 * document  = format u8 (01) | version int64 | [workload]
 * workload  = tag u8 | name str | version int64 | body
 *   01 process = command str | [arg str] | [name str, value str] (ascending names) | cpuMillis int64
 *                | memoryBytes int64 | pids int64 | restart u8 (00 never, 01 on-failure, 02 always)
 *                | [volume str, path str] | [port name str, protocol u8 (00 tcp, 01 udp)]
 *                | health? | [secret name str, sealed bytes]
 *   health  = kind u8 | port str | (01 http: method u8 (00 GET, 01 POST) | path str | body str
 *             | expectStatus int32 | expectJsonPointer? str | expectValue? str | 02 tcp: nothing)
 *             | startPeriodMillis int64 | intervalMillis int64 | timeoutMillis int64
 *   02 volume  = sizeBytes int64
 *   03 zdb     = sizeBytes int64 | mode u8 (00 user, 01 seq) | password? str | public bool
 *   04 thin    = manifest 32 | snapshot? str | cacheBytes int64 | zstor secret name str | zstor sealed bytes
 * signed    = format u8 (01) | chainId str | nodeId int64 | contractId int64 | document bytes
 *             | signer 32 | signature 64
 * </pre>
 * A value the record constructors refuse (a bad name, a mount of a missing volume) fails with
 * {@link CodecException}, like any other non-canonical input.
 */
final class DeploymentCodec {
    static final int FORMAT = 1;
    static final int MAX_DOCUMENT = 1 << 20;
    private static final int MAX_CHAIN_ID = 64;

    private DeploymentCodec() {}

    static final CanonicalCodec<DeploymentDocument> DOCUMENT = new CanonicalCodec<>() {
        @Override
        public void write(DeploymentDocument d, CanonicalWriter out) {
            out.u8(FORMAT).int64(d.version()).list(d.workloads(), Workload.MAX_ITEMS, DeploymentCodec::workload);
        }

        @Override
        public DeploymentDocument read(CanonicalReader in) {
            format(in);
            int at = in.offset();
            long version = in.int64("version");
            var workloads = in.list("workloads", Workload.MAX_ITEMS, DeploymentCodec::workload);
            return construct("document", at, () -> new DeploymentDocument(version, workloads));
        }
    };

    static final CanonicalCodec<SignedDeployment> SIGNED = new CanonicalCodec<>() {
        @Override
        public void write(SignedDeployment s, CanonicalWriter out) {
            out.u8(FORMAT).string(s.chainId(), MAX_CHAIN_ID).int64(s.nodeId()).int64(s.contractId())
                    .bytes(s.document().encode(), MAX_DOCUMENT).fixed(s.signer().bytes(), Ed25519PublicKey.LENGTH)
                    .fixed(s.signature(), SignedDeployment.SIGNATURE_LENGTH);
        }

        @Override
        public SignedDeployment read(CanonicalReader in) {
            format(in);
            int at = in.offset();
            String chainId = in.string("chainId", MAX_CHAIN_ID);
            long node = in.int64("nodeId");
            long contract = in.int64("contractId");
            byte[] doc = in.bytes("document", MAX_DOCUMENT);
            DeploymentDocument document = DOCUMENT.decode(doc);
            Ed25519PublicKey signer = Ed25519PublicKey.of(in.fixed("signer", Ed25519PublicKey.LENGTH));
            byte[] signature = in.fixed("signature", SignedDeployment.SIGNATURE_LENGTH);
            return construct("signed deployment", at,
                    () -> new SignedDeployment(chainId, node, contract, document, signer, signature));
        }
    };

    static void workload(CanonicalWriter out, Workload w) {
        switch (w) {
            case Workload.Process p -> {
                out.u8(1).string(p.name(), Workload.MAX_TEXT).int64(p.version()).string(p.command(), Workload.MAX_TEXT)
                        .list(p.args(), Workload.MAX_ITEMS, (o, a) -> o.string(a, Workload.MAX_TEXT))
                        .list(p.env().entrySet().stream().toList(), Workload.MAX_ITEMS,
                                (o, e) -> o.string(e.getKey(), Workload.MAX_TEXT).string(e.getValue(), Workload.MAX_TEXT))
                        .int64(p.limits().cpuMillis()).int64(p.limits().memoryBytes()).int64(p.limits().pids())
                        .u8(p.restart().ordinal())
                        .list(p.mounts(), Workload.MAX_ITEMS, (o, m) -> o.string(m.volume(), Workload.MAX_TEXT)
                                .string(m.path(), Workload.MAX_TEXT))
                        .list(p.ports(), Workload.MAX_PORTS, (o, port) -> o.string(port.name(), Workload.MAX_TEXT)
                                .u8(port.protocol().ordinal()))
                        .optional(p.health(), DeploymentCodec::health)
                        .list(p.secrets(), Workload.MAX_ITEMS, (o, secret) -> o.string(secret.name(), Workload.MAX_TEXT)
                                .bytes(secret.sealed(), SecretSealer.OVERHEAD + SecretSealer.MAX_SECRET));
            }
            case Workload.Volume v -> out.u8(2).string(v.name(), Workload.MAX_TEXT).int64(v.version()).int64(v.sizeBytes());
            case Workload.ZdbNamespace z -> out.u8(3).string(z.name(), Workload.MAX_TEXT).int64(z.version())
                    .int64(z.sizeBytes()).u8(z.mode().ordinal())
                    .optional(z.password(), (o, p) -> o.string(p, Workload.MAX_TEXT)).bool(z.isPublic());
            case Workload.Thin t -> out.u8(4).string(t.name(), Workload.MAX_TEXT).int64(t.version())
                    .fixed(t.manifest().bytes(), Hash256.LENGTH)
                    .optional(t.snapshot(), (o, n) -> o.string(n, Workload.MAX_TEXT)).int64(t.cacheBytes())
                    .string(t.zstor().name(), Workload.MAX_TEXT)
                    .bytes(t.zstor().sealed(), SecretSealer.OVERHEAD + SecretSealer.MAX_SECRET);
        }
    }

    static Workload workload(CanonicalReader in) {
        int at = in.offset();
        int tag = in.u8("workload tag");
        String name = in.string("workload name", Workload.MAX_TEXT);
        long version = in.int64("workload version");
        return switch (tag) {
            case 1 -> {
                String command = in.string("command", Workload.MAX_TEXT);
                var args = in.list("args", Workload.MAX_ITEMS, r -> r.string("arg", Workload.MAX_TEXT));
                var env = in.sortedList("env", Workload.MAX_ITEMS, Map.Entry.<String, String>comparingByKey(),
                        r -> Map.entry(r.string("env name", Workload.MAX_TEXT), r.string("env value", Workload.MAX_TEXT)));
                long cpu = in.int64("cpuMillis");
                long memory = in.int64("memoryBytes");
                long pids = in.int64("pids");
                int restartAt = in.offset();
                int restart = in.u8("restart");
                if (restart >= Workload.RestartPolicy.values().length) {
                    throw new CodecException("restart", restartAt, "unknown policy " + restart);
                }
                var mounts = in.list("mounts", Workload.MAX_ITEMS, r -> {
                    int m = r.offset();
                    String volume = r.string("mount volume", Workload.MAX_TEXT);
                    String path = r.string("mount path", Workload.MAX_TEXT);
                    return construct("mount", m, () -> new Workload.Mount(volume, path));
                });
                var ports = in.list("ports", Workload.MAX_PORTS, r -> {
                    int m = r.offset();
                    String portName = r.string("port name", Workload.MAX_TEXT);
                    var protocol = enumValue(r, "port protocol", Workload.Protocol.values());
                    return construct("port", m, () -> new Workload.Port(portName, protocol));
                });
                var health = in.optional("health", DeploymentCodec::health);
                var secrets = in.list("secrets", Workload.MAX_ITEMS, r -> {
                    int m = r.offset();
                    String secretName = r.string("secret name", Workload.MAX_TEXT);
                    byte[] sealed = r.bytes("secret sealed", SecretSealer.OVERHEAD + SecretSealer.MAX_SECRET);
                    return construct("secret", m, () -> new Workload.SealedSecret(secretName, sealed));
                });
                TreeMap<String, String> envMap = new TreeMap<>();
                env.forEach(e -> envMap.put(e.getKey(), e.getValue()));
                yield construct("process", at, () -> new Workload.Process(name, version, command, args, envMap,
                        new Workload.Limits(cpu, memory, pids), Workload.RestartPolicy.values()[restart], mounts,
                        ports, health, secrets));
            }
            case 2 -> {
                long size = in.int64("volume size");
                yield construct("volume", at, () -> new Workload.Volume(name, version, size));
            }
            case 3 -> {
                long size = in.int64("zdb size");
                int modeAt = in.offset();
                int mode = in.u8("zdb mode");
                if (mode >= Workload.ZdbMode.values().length) {
                    throw new CodecException("zdb mode", modeAt, "unknown mode " + mode);
                }
                var password = in.optional("zdb password", r -> r.string("zdb password", Workload.MAX_TEXT));
                boolean isPublic = in.bool("zdb public");
                yield construct("zdb", at, () -> new Workload.ZdbNamespace(name, version, size,
                        Workload.ZdbMode.values()[mode], password, isPublic));
            }
            case 4 -> {
                Hash256 manifest = Hash256.of(in.fixed("thin manifest", Hash256.LENGTH));
                var snapshot = in.optional("thin snapshot", r -> r.string("thin snapshot", Workload.MAX_TEXT));
                long cache = in.int64("thin cache");
                int secretAt = in.offset();
                String secretName = in.string("thin zstor name", Workload.MAX_TEXT);
                byte[] sealed = in.bytes("thin zstor sealed", SecretSealer.OVERHEAD + SecretSealer.MAX_SECRET);
                var zstor = construct("thin zstor", secretAt, () -> new Workload.SealedSecret(secretName, sealed));
                yield construct("thin", at, () -> new Workload.Thin(name, version, manifest, snapshot, cache, zstor));
            }
            default -> throw new CodecException("workload tag", at, "unknown tag " + tag);
        };
    }

    static void health(CanonicalWriter out, HealthCheck h) {
        switch (h) {
            case HealthCheck.Http http -> out.u8(1).string(http.port(), Workload.MAX_TEXT).u8(http.method().ordinal())
                    .string(http.path(), Workload.MAX_TEXT).string(http.body(), Workload.MAX_TEXT).int32(http.expectStatus())
                    .optional(http.expectJsonPointer(), (o, p) -> o.string(p, Workload.MAX_TEXT))
                    .optional(http.expectValue(), (o, v) -> o.string(v, Workload.MAX_TEXT));
            case HealthCheck.Tcp tcp -> out.u8(2).string(tcp.port(), Workload.MAX_TEXT);
        }
        out.int64(h.timing().startPeriod().toMillis()).int64(h.timing().interval().toMillis())
                .int64(h.timing().timeout().toMillis());
    }

    static HealthCheck health(CanonicalReader in) {
        int at = in.offset();
        int kind = in.u8("health kind");
        if (kind != 1 && kind != 2) {
            throw new CodecException("health kind", at, "unknown kind " + kind);
        }
        String port = in.string("health port", Workload.MAX_TEXT);
        if (kind == 1) {
            var method = enumValue(in, "health method", HealthCheck.Method.values());
            String path = in.string("health path", Workload.MAX_TEXT);
            String body = in.string("health body", Workload.MAX_TEXT);
            int status = in.int32("health expectStatus");
            var pointer = in.optional("health expectJsonPointer", r -> r.string("health expectJsonPointer", Workload.MAX_TEXT));
            var value = in.optional("health expectValue", r -> r.string("health expectValue", Workload.MAX_TEXT));
            var timing = timing(in);
            return construct("health", at, () -> new HealthCheck.Http(port, method, path, body, status, pointer, value, timing));
        }
        var timing = timing(in);
        return construct("health", at, () -> new HealthCheck.Tcp(port, timing));
    }

    private static HealthCheck.Timing timing(CanonicalReader in) {
        int at = in.offset();
        long start = in.nonNegative("health startPeriodMillis");
        long interval = in.nonNegative("health intervalMillis");
        long timeout = in.nonNegative("health timeoutMillis");
        return construct("health timing", at, () -> new HealthCheck.Timing(java.time.Duration.ofMillis(start),
                java.time.Duration.ofMillis(interval), java.time.Duration.ofMillis(timeout)));
    }

    private static <E extends Enum<E>> E enumValue(CanonicalReader in, String field, E[] values) {
        int at = in.offset();
        int v = in.u8(field);
        if (v >= values.length) {
            throw new CodecException(field, at, "unknown value " + v);
        }
        return values[v];
    }

    private static void format(CanonicalReader in) {
        int at = in.offset();
        int format = in.u8("format");
        if (format != FORMAT) {
            throw new CodecException("format", at, "unknown format " + format + " (expected: " + FORMAT + ")");
        }
    }

    /** Runs a record constructor on decoded fields; its refusal is non-canonical input. */
    private static <T> T construct(String field, int offset, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new CodecException(field, offset, e.getMessage());
        }
    }
}
