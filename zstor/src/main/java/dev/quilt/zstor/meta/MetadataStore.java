package dev.quilt.zstor.meta;

import dev.quilt.zstor.backend.BackendLink;
import dev.quilt.zstor.backend.Fanout;
import dev.quilt.zstor.backend.Fanout.Outcome;
import dev.quilt.zstor.config.MasterKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;

/**
 * Sealed metadata records on every metadata backend, under {@code /{prefix}/meta/{hex object hash}}.
 *
 * <p><b>Quorums.</b> With N backends and a write quorum W, a write succeeds once W backends
 * acknowledged it. A read asks all of them and needs R = N - W + 1 answers (a value or "no such
 * key"): any R backends include one that acknowledged the latest write, so the highest generation
 * among the answers is the latest. Fewer answers is an error, never a possibly stale record or a
 * false "not found".
 *
 * <p><b>Read repair.</b> A read writes the winning record back to every backend that answered with
 * an older generation, nothing, or a copy that does not open, so a backend that was down catches up
 * the first time the object is read.
 *
 * <p><b>Stalled backends.</b> Once a read has its N - W + 1 answers, or a write its W
 * acknowledgements, the others get a short grace period and are then counted as not answering,
 * so one stalled backend costs that grace, not its timeout.
 *
 * <p>Thread-safe.
 */
public final class MetadataStore {

    /**
     * How long a read waits for the remaining backends once it has its quorum (a stalled backend
     * must not stall every read until its timeout), and how long a write waits for any backend.
     */
    private static final Duration GRACE = Duration.ofMillis(250);

    private final List<BackendLink> links;
    private final int writeQuorum;
    private final int readQuorum;
    private final MasterKey master;
    private final SecureRandom random;
    private final ExecutorService executor;
    private final byte[] keyPrefix;

    public MetadataStore(String prefix, List<BackendLink> links, int writeQuorum, MasterKey master, SecureRandom random,
            ExecutorService executor) {
        if (writeQuorum < 1 || writeQuorum > links.size()) {
            throw new IllegalArgumentException("writeQuorum: " + writeQuorum + " (expected: 1.." + links.size() + ")");
        }
        this.links = List.copyOf(links);
        this.writeQuorum = writeQuorum;
        this.readQuorum = links.size() - writeQuorum + 1;
        this.master = master;
        this.random = random;
        this.executor = executor;
        this.keyPrefix = ("/" + prefix + "/meta/").getBytes(StandardCharsets.UTF_8);
    }

    public List<BackendLink> links() {
        return links;
    }

    /**
     * The object's newest record (possibly a tombstone), or empty when no backend holds one.
     *
     * @throws MetadataUnavailableException when fewer than N - W + 1 backends answered
     */
    public Optional<MetadataRecord> read(byte[] objectHash, byte[] objectId) throws MetadataUnavailableException {
        byte[] key = key(objectHash);
        List<Outcome<BackendLink, byte[]>> answers = Fanout.quorum(executor, links, link -> link.get(key), readQuorum,
                GRACE);
        requireAnswers(answers, "read the metadata of object \"" + text(objectId) + "\"");
        MetadataRecord best = null;
        byte[] bestSealed = null;
        long[] generations = new long[answers.size()];
        for (int i = 0; i < answers.size(); i++) {
            generations[i] = -1;
            Outcome<BackendLink, byte[]> answer = answers.get(i);
            if (!answer.ok() || answer.value() == null) {
                continue;
            }
            MetadataRecord record = open(answer.value(), objectHash, objectId);
            if (record == null) {
                continue;
            }
            generations[i] = record.generation();
            if (best == null || record.generation() > best.generation()) {
                best = record;
                bestSealed = answer.value();
            }
        }
        if (best != null) {
            repair(answers, generations, best.generation(), key, bestSealed);
        }
        return Optional.ofNullable(best);
    }

    /**
     * Seals the record and writes it to every backend.
     *
     * @throws MetadataUnavailableException when fewer than W backends acknowledged, naming why each failed
     */
    public void write(MetadataRecord record) throws MetadataUnavailableException {
        byte[] key = key(hashOf(record));
        byte[] sealed = MetadataCodec.seal(record, master, random);
        List<Outcome<BackendLink, Boolean>> acks = Fanout.quorum(executor, links, link -> {
            link.set(key, sealed);
            return true;
        }, writeQuorum, GRACE);
        long ok = acks.stream().filter(Outcome::ok).count();
        if (ok < writeQuorum) {
            throw new MetadataUnavailableException(String.format(
                    "metadata of object \"%s\" reached %d of %d metadata backends (expected: meta.config.write_quorum"
                            + " = %d): %s", text(record.objectId()), ok, links.size(), writeQuorum, failures(acks)));
        }
    }

    /**
     * The object hashes (hex) that any answering backend holds a record for, tombstones included.
     *
     * @throws MetadataUnavailableException when fewer than N - W + 1 backends answered
     */
    public SortedSet<String> hashes() throws MetadataUnavailableException {
        List<Outcome<BackendLink, List<byte[]>>> answers = Fanout.quorum(executor, links,
                link -> link.keys(keyPrefix), readQuorum, GRACE);
        requireAnswers(answers, "list objects");
        SortedSet<String> hashes = new TreeSet<>();
        for (Outcome<BackendLink, List<byte[]>> answer : answers) {
            if (answer.ok()) {
                for (byte[] key : answer.value()) {
                    hashes.add(new String(key, keyPrefix.length, key.length - keyPrefix.length, StandardCharsets.UTF_8));
                }
            }
        }
        return hashes;
    }

    /** The key a record lives under. */
    public byte[] key(byte[] objectHash) {
        byte[] hex = HexFormat.of().formatHex(objectHash).getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(keyPrefix, keyPrefix.length + hex.length);
        System.arraycopy(hex, 0, key, keyPrefix.length, hex.length);
        return key;
    }

    /**
     * Reads a record by its hash alone (for listing): the newest copy that opens, whatever object it
     * names. Repairs like {@link #read}.
     */
    public Optional<MetadataRecord> readByHash(byte[] objectHash) throws MetadataUnavailableException {
        return read(objectHash, null);
    }

    private MetadataRecord open(byte[] sealed, byte[] objectHash, byte[] objectId) {
        try {
            MetadataRecord record = MetadataCodec.open(sealed, master);
            // A record under this key for another object is as good as corrupt.
            if (objectId != null ? !Arrays.equals(record.objectId(), objectId)
                    : !Arrays.equals(ObjectHash.of(record.objectId()), objectHash)) {
                return null;
            }
            return record;
        } catch (CorruptMetadataException e) {
            return null;
        }
    }

    private void repair(List<Outcome<BackendLink, byte[]>> answers, long[] generations, long best, byte[] key,
            byte[] sealed) {
        List<BackendLink> stale = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).ok() && generations[i] < best) {
                stale.add(answers.get(i).item());
            }
        }
        if (!stale.isEmpty()) {
            // Best effort: a backend that fails now is repaired by a later read.
            Fanout.each(executor, stale, link -> {
                link.set(key, sealed);
                return true;
            });
        }
    }

    private <R> void requireAnswers(List<Outcome<BackendLink, R>> answers, String what)
            throws MetadataUnavailableException {
        long ok = answers.stream().filter(Outcome::ok).count();
        if (ok < readQuorum) {
            throw new MetadataUnavailableException(String.format(
                    "cannot %s: %d of %d metadata backends answered (expected: at least %d, so that one of them"
                            + " holds the latest write): %s", what, ok, links.size(), readQuorum, failures(answers)));
        }
    }

    private static <R> String failures(List<Outcome<BackendLink, R>> outcomes) {
        List<String> why = new ArrayList<>();
        for (Outcome<BackendLink, R> o : outcomes) {
            if (!o.ok()) {
                why.add(o.error().getMessage());
            }
        }
        return String.join("; ", why);
    }

    private static byte[] hashOf(MetadataRecord record) {
        return ObjectHash.of(record.objectId());
    }

    private static String text(byte[] objectId) {
        return objectId == null ? "?" : new String(objectId, StandardCharsets.UTF_8);
    }
}
