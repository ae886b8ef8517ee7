package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.codec.CodecException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** decode(encode(d)) == d over generated documents; hostile bytes either round-trip exactly or fail with CodecException. */
class DeploymentCodecPropertyTest {

    @Property(tries = 300)
    void roundTrips(@ForAll("documents") DeploymentDocument d) {
        byte[] bytes = d.encode();
        assertThat(DeploymentDocument.decode(bytes)).isEqualTo(d);
        assertThat(DeploymentDocument.decode(bytes).encode()).isEqualTo(bytes);
        assertThat(DeploymentDocument.decode(bytes).hash()).isEqualTo(d.hash());
    }

    @Property(tries = 1000)
    void mutatedBytesReEncodeIdenticallyOrFailCleanly(@ForAll("documents") DeploymentDocument d,
                                                       @ForAll("positions") int position, @ForAll byte value) {
        byte[] bytes = d.encode();
        bytes[position % bytes.length] = value;
        decodesCanonicallyOrFails(bytes);
    }

    @Property(tries = 1000)
    void randomBytesFailCleanly(@ForAll byte[] bytes) {
        decodesCanonicallyOrFails(bytes);
    }

    @Property(tries = 300)
    void truncatedBytesFail(@ForAll("documents") DeploymentDocument d, @ForAll("positions") int cut) {
        byte[] bytes = d.encode();
        byte[] truncated = java.util.Arrays.copyOf(bytes, cut % bytes.length);
        try {
            DeploymentDocument.decode(truncated);
            throw new AssertionError("a strict prefix decoded");
        } catch (CodecException expected) {
            // the only acceptable failure
        }
    }

    private static void decodesCanonicallyOrFails(byte[] bytes) {
        try {
            assertThat(DeploymentDocument.decode(bytes).encode()).isEqualTo(bytes);
        } catch (CodecException expected) {
            // a clean refusal
        }
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    @Provide
    Arbitrary<DeploymentDocument> documents() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcxyz019-_").ofMinLength(1).ofMaxLength(12)
                .filter(s -> Workload.NAME.matcher(s).matches());
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20).filter(s -> s.indexOf('\0') < 0);
        Arbitrary<Workload> volume = Combinators.combine(names, Arbitraries.longs().between(1, 5),
                Arbitraries.longs().between(Workload.MIN_VOLUME, Long.MAX_VALUE)).as(Workload.Volume::new);
        Arbitrary<Workload> zdb = Combinators.combine(names, Arbitraries.longs().between(1, 5),
                Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.of(Workload.ZdbMode.class),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).optional(), Arbitraries.of(true, false))
                .as(Workload.ZdbNamespace::new);
        Arbitrary<Workload> thin = Combinators.combine(names, Arbitraries.longs().between(1, 5),
                Arbitraries.bytes().array(byte[].class).ofSize(32).map(dev.quilt.common.crypto.Hash256::of),
                Arbitraries.strings().withChars("az09._-").ofMinLength(1).ofMaxLength(12)
                        .filter(s -> Workload.Thin.SNAPSHOT_NAME.matcher(s).matches()).optional(),
                Arbitraries.longs().between(Workload.MIN_THIN_CACHE, Long.MAX_VALUE),
                Arbitraries.bytes().array(byte[].class).ofMinSize(SecretSealer.OVERHEAD).ofMaxSize(SecretSealer.OVERHEAD + 40)
                        .map(b -> new Workload.SealedSecret("zstor", b)))
                .as(Workload.Thin::new);
        Arbitrary<Map<String, String>> env = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), text)
                .ofMaxSize(4);
        Arbitrary<Workload> process = Combinators.combine(names, Arbitraries.longs().between(1, 5),
                text.map(t -> "/" + t), text.list().ofMaxSize(4), env,
                Combinators.combine(Arbitraries.longs().between(1, 64_000), Arbitraries.longs().between(4L << 20, 1L << 40),
                        Arbitraries.longs().between(1, 10_000)).as(Workload.Limits::new),
                Arbitraries.of(Workload.RestartPolicy.class))
                .as((n, v, c, a, e, l, r) -> new Workload.Process(n, v, c, a, e, l, r, List.of()));
        Arbitrary<List<Workload.Port>> ports = Combinators.combine(
                Arbitraries.strings().withChars("abz09-").ofMinLength(1).ofMaxLength(16)
                        .filter(s -> Workload.Port.NAME.matcher(s).matches()),
                Arbitraries.of(Workload.Protocol.class)).as(Workload.Port::new)
                .list().ofMaxSize(4).uniqueElements(Workload.Port::name);
        Arbitrary<HealthCheck.Timing> timing = Combinators.combine(Arbitraries.longs().between(0, 3_600_000),
                Arbitraries.longs().between(100, 3_600_000), Arbitraries.longs().between(100, 60_000))
                .as((a, b, c) -> new HealthCheck.Timing(Duration.ofMillis(a), Duration.ofMillis(b), Duration.ofMillis(c)));
        Arbitrary<Optional<String>> pointer = Arbitraries.strings().ofMaxLength(10).filter(s -> s.indexOf('\0') < 0)
                .map(s -> "/" + s).optional();
        Arbitrary<HealthCheck.Http> http = Combinators.combine(Arbitraries.of(HealthCheck.Method.class),
                Arbitraries.strings().alpha().ofMaxLength(10).map(s -> "/" + s), text, Arbitraries.integers().between(100, 599),
                pointer, text.optional(), timing)
                .as((m, path, body, status, ptr, value, t) -> new HealthCheck.Http("x", m, path, m == HealthCheck.Method.GET ? "" : body,
                        status, ptr, ptr.isPresent() ? value : Optional.empty(), t));
        Arbitrary<List<Workload.SealedSecret>> secrets = Combinators.combine(
                Arbitraries.strings().withChars("aZ9._-").ofMinLength(1).ofMaxLength(10)
                        .filter(s -> Workload.SealedSecret.NAME.matcher(s).matches()),
                Arbitraries.bytes().array(byte[].class).ofMinSize(SecretSealer.OVERHEAD).ofMaxSize(SecretSealer.OVERHEAD + 40))
                .as(Workload.SealedSecret::new).list().ofMaxSize(3).uniqueElements(Workload.SealedSecret::name);
        Arbitrary<Workload> served = Combinators.combine(process, ports, Arbitraries.oneOf(http, timing.map(t -> new HealthCheck.Tcp("x", t))).optional(),
                secrets).as((w, ps, health, ss) -> {
                    var p = ((Workload.Process) w).withSecrets(ss);
                    if (health.isEmpty()) {
                        return p.withPorts(ps);
                    }
                    // The checked port is a tcp port named "x", declared first.
                    var withX = new ArrayList<Workload.Port>(List.of(new Workload.Port("x", Workload.Protocol.TCP)));
                    ps.stream().filter(port -> !port.name().equals("x")).forEach(withX::add);
                    return p.withPorts(withX).withHealth(health.get());
                });
        return Arbitraries.oneOf(volume, zdb, thin, process, served).list().ofMaxSize(5)
                .uniqueElements(Workload::name)
                .map(ws -> {
                    // A process mounts every volume and thin snapshot of its document, to exercise mounts.
                    List<String> volumes = ws.stream().filter(w -> w instanceof Workload.Volume || w instanceof Workload.Thin).map(Workload::name).toList();
                    List<Workload> out = new ArrayList<>();
                    for (Workload w : ws) {
                        if (w instanceof Workload.Process p) {
                            out.add(new Workload.Process(p.name(), p.version(), p.command(), p.args(), new TreeMap<>(p.env()),
                                    p.limits(), p.restart(), volumes.stream().map(v -> new Workload.Mount(v, "/mnt/" + v)).toList(),
                                    p.ports(), p.health(), p.secrets()));
                        } else {
                            out.add(w);
                        }
                    }
                    return new DeploymentDocument(5, out);
                });
    }
}
