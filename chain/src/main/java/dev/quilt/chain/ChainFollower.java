package dev.quilt.chain;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-voting follower of any chain API: it reads final blocks from an upstream's stream, checks
 * each one ({@link ServedBlockCheck}: quorum of the validators in force, transactions and state
 * root rebuilt with the same pure {@link Ledger}, accepted by a {@link LightClient}), commits the
 * rebuilt block to its own RocksDB store, and serves its verified copy. It trusts only its genesis
 * file: a lying or tampered upstream can stall it, never feed it a block the validators did not
 * certify.
 *
 * <h2>Durability</h2>
 * Each block is committed with its state writes, Merkle nodes, receipts, challenges, signatures
 * and the new head in one fsynced batch ({@link RocksStateStore}); after a crash the follower
 * reopens its store at the last whole block and resumes the stream from the next height.
 *
 * <h2>Submissions</h2>
 * Forwarded to the upstream, whose answer (queued, or the reason for a refusal) is passed on.
 *
 * <p>Thread-safe: one virtual thread follows and commits; readers see an immutable view through a
 * volatile field.
 */
public final class ChainFollower implements ChainSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);

    /**
     * @param upstream the base URL of the chain API to follow, e.g. {@code http://10.0.0.1:8545}
     * @param retry the pause before reconnecting after the upstream failed or served a refused block
     */
    public record Config(URI upstream, Genesis genesis, Path dataDir, Duration retry) {}

    private record View(BlockHeader head, LedgerState state) {}

    private final Config config;
    private final ChainClient upstream;
    private final RocksStateStore store;
    private final List<Consumer<Block>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile View view;
    private volatile long upstreamHeight = -1;
    private volatile String lastRefusal;
    private volatile boolean closed;

    private ChainFollower(Config config, RocksStateStore store) {
        this.config = config;
        this.upstream = new ChainClient(config.upstream());
        this.store = store;
        RocksStateStore.Head head = store.head().orElseThrow();
        this.view = new View(head.header(), store.state());
    }

    /** Opens (or creates) the store in {@code dataDir/state} and starts following. */
    public static ChainFollower start(Config config) throws IOException {
        Path dir = config.dataDir().resolve("state");
        RocksStateStore store = RocksStateStore.open(dir);
        try {
            if (store.head().isEmpty()) {
                store.commitGenesis(config.genesis().state(), config.genesis().header());
            }
            if (!store.block(0).orElseThrow().header().equals(config.genesis().header())) {
                throw new IOException(dir + " holds another chain than genesis " + config.genesis().header().hash());
            }
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        ChainFollower follower = new ChainFollower(config, store);
        log.info("following {} for chain {} from height {}", config.upstream(), config.genesis().chainId(),
                follower.head().height() + 1);
        follower.threads.execute(follower::follow);
        follower.threads.execute(follower::watchUpstreamHead);
        return follower;
    }

    /** Reconnects until closed: each round resumes the stream after the last committed block. */
    private void follow() {
        while (!closed) {
            try {
                View start = view;
                ServedBlockCheck check = new ServedBlockCheck(start.head(), ValidatorSet.of(start.state().params()));
                upstream.streamBlocks(start.head().height() + 1, served -> {
                    apply(check, served);
                    return !closed;
                });
            } catch (Refusal r) {
                refused(r.getMessage());
            } catch (CodecException | IllegalArgumentException e) {
                refused("block " + (view.head().height() + 1) + ": malformed: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.info("upstream {} unavailable: {}", config.upstream(), e.getMessage());
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!pause(config.retry())) {
                return;
            }
        }
    }

    private void refused(String reason) {
        if (!reason.equals(lastRefusal)) {
            log.warn("refused a block from {}: {}", config.upstream(), reason);
        }
        lastRefusal = reason;
    }

    /** A served block failed its check; carried out of the stream's callback. */
    private static final class Refusal extends IOException {
        Refusal(String message) {
            super(message);
        }
    }

    private void apply(ServedBlockCheck check, ChainClient.ServedBlock served) throws IOException {
        if (closed) {
            return;
        }
        ServedBlockCheck.Checked checked;
        try {
            View before = view;
            checked = check.check(before.state(), served, h -> store.block(h).map(Block::header));
        } catch (ServedBlockCheck.Refused e) {
            throw new Refusal(e.getMessage());
        }
        Block block = checked.produced().block();
        store.commitBlock(block, checked.produced().state(), 0, block.header().height(), checked.challenges(),
                checked.signatures());
        view = new View(block.header(), store.state());
        upstreamHeight = Math.max(upstreamHeight, block.header().height());
        lastRefusal = null;
        listeners.forEach(l -> l.accept(block));
    }

    /** Keeps the upstream's head height for the lag in {@code /v1/status} and the metrics. */
    private void watchUpstreamHead() {
        do {
            try {
                ChainClient.Status s = upstream.status();
                if (!s.chainId().equals(config.genesis().chainId())) {
                    lastRefusal = "upstream serves chain " + s.chainId() + ", not " + config.genesis().chainId();
                } else {
                    upstreamHeight = s.height();
                }
            } catch (IOException | RuntimeException e) {
                // Unreachable for now: the lag keeps its last value, the follow loop reports the cause.
            }
        } while (pause(Duration.ofSeconds(1)));
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Blocks between the upstream's head (as last seen) and this follower's. */
    public long lag() {
        long up = upstreamHeight;
        return up < 0 ? 0 : Math.max(0, up - head().height());
    }

    /** Why the last served block was refused, while no later block was applied. */
    public Optional<String> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    public URI upstream() {
        return config.upstream();
    }

    @Override
    public Genesis genesis() {
        return config.genesis();
    }

    @Override
    public BlockHeader head() {
        return view.head();
    }

    @Override
    public LedgerState state() {
        return view.state();
    }

    @Override
    public Optional<Block> block(long height) {
        return store.block(height);
    }

    @Override
    public List<HeaderSignature> signatures(long height) {
        return store.signatures(height);
    }

    @Override
    public NavigableMap<Long, Hash256> challenges(long height) {
        return store.challenges(height);
    }

    @Override
    public Optional<RocksStateStore.Inclusion> inclusion(Hash256 transactionHash) {
        return store.inclusion(transactionHash);
    }

    /** The header at {@code height} with the signatures that certified it here. */
    public Optional<CertifiedHeader> certified(long height) {
        return block(height).map(b -> new CertifiedHeader(b.header(), signatures(height)));
    }

    @Override
    public boolean isFinal(long height) {
        // Only signatures that verified over the rebuilt header are stored.
        return block(height).isPresent() && ValidatorSet.of(state().params()).isQuorumOfVerified(signatures(height));
    }

    /** Forwards to the upstream: a refusal there is a refusal here, with the same reason. */
    @Override
    public CompletableFuture<String> submit(SignedTransaction tx) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return "queued " + upstream.submit(tx);
            } catch (ChainClient.ApiException e) {
                if (e.status() / 100 == 4) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
                if (e.status() == 503) {
                    throw new NodeBusyException("upstream " + config.upstream() + ": " + e.getMessage());
                }
                throw new UncheckedIOException("upstream " + config.upstream() + " answered " + e.status() + ": "
                        + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("upstream " + config.upstream() + " unreachable: " + e.getMessage(), e);
            }
        }, threads);
    }

    @Override
    public Map<String, Object> statusDetails() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", "follower");
        out.put("following", config.upstream().toString());
        out.put("upstreamHeight", upstreamHeight);
        out.put("lag", lag());
        out.put("refused", lastRefusal);
        return out;
    }

    @Override
    public void onBlock(Consumer<Block> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        closed = true;
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
