package dev.quilt.zstor;

import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.BackendUnavailableException;
import dev.quilt.zstor.backend.Fanout;
import dev.quilt.zstor.backend.Fanout.Outcome;
import dev.quilt.zstor.backend.NamespaceUsage;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.pipeline.StripeSealer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where an object's shards go when backends are down or full: the placement policy's choice, with
 * each backend that does not answer NSINFO or lacks room for a shard replaced by the next-ranked
 * backend of its own group, so the per-group counts (and the losses the layout survives) hold.
 */
final class ShardPlacement {

    private static final Duration PROBE_GRACE = Duration.ofSeconds(1);

    private final Engine engine;

    ShardPlacement(Engine engine) {
        this.engine = engine;
    }

    /**
     * n backends for a new version of the object. A backend with no usable stand-in stays in the
     * list; its writes fail and its shard index is recorded as pending.
     */
    List<ShardBackend> forStore(ObjectKey key) {
        List<Backend> chosen = engine.selector.select(key.id());
        long room = engine.coding.shardLength(StripeSealer.maxSealedLength(engine.config.stripeSize()));
        // A backend that has not answered shortly after the write quorum's worth did is treated as
        // down, so a stalled backend costs a moment, not its read timeout.
        List<Outcome<Backend, Boolean>> probes = Fanout.quorum(engine.executor, chosen, b -> usable(b, room),
                engine.config.writeQuorum(), PROBE_GRACE);
        List<ShardBackend> result = new ArrayList<>(chosen.size());
        Set<String> taken = new HashSet<>();
        for (Backend b : chosen) {
            taken.add(b.id());
        }
        for (Outcome<Backend, Boolean> probe : probes) {
            Backend backend = probe.item();
            if (probe.ok() && probe.value()) {
                result.add(engine.backend(backend));
                continue;
            }
            Optional<Backend> standIn = standIn(key, backend, taken, room);
            standIn.ifPresent(s -> taken.add(s.id()));
            result.add(engine.backend(standIn.orElse(backend)));
        }
        return result;
    }

    /**
     * A backend for a shard index moving off {@code current}: first the other backends of its group
     * by rank for this object, then, when the whole group is out, any other configured backend; never
     * one the object already uses.
     */
    Optional<Backend> forRebuild(ObjectKey key, Backend current, Set<String> used) {
        long room = 1;
        Optional<Backend> inGroup = standIn(key, current, used, room);
        if (inGroup.isPresent()) {
            return inGroup;
        }
        for (ShardBackend other : engine.dataBackends()) {
            Backend b = other.backend();
            if (!used.contains(b.id()) && probe(b, room)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Whether the backend answers NSINFO now (its health resets when it does). */
    boolean reachable(Backend backend) {
        return probe(backend, 0);
    }

    private Optional<Backend> standIn(ObjectKey key, Backend replaced, Set<String> taken, long room) {
        for (Backend candidate : engine.selector.alternatives(key.id(), replaced)) {
            if (!taken.contains(candidate.id()) && probe(candidate, room)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private boolean probe(Backend backend, long room) {
        try {
            return usable(backend, room);
        } catch (BackendUnavailableException e) {
            return false;
        }
    }

    private boolean usable(Backend backend, long room) throws BackendUnavailableException {
        NamespaceUsage usage = engine.backend(backend).usage();
        return usage.freeBytes().isEmpty() || usage.freeBytes().getAsLong() >= room;
    }
}
