package dev.quilt.chain;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The Ratis adapter over the ledger: it decodes log entries, feeds transactions to
 * {@link BlockProducer} when a cut arrives, and persists each block with {@link RocksStateStore}.
 * Nothing here decides what a transaction does; {@link Ledger} does.
 *
 * <h2>Entries</h2>
 * <ul>
 *   <li>{@code startTransaction} (leader, before the log, in parallel) refuses what needs no
 *       ordering to refuse: oversized or undecodable entries, transactions whose signature does
 *       not verify for this chain, cuts whose time is far from the leader's clock, and header
 *       signatures from keys outside the validator set. The client gets the reason. A batch's
 *       signatures are verified in parallel; one that does not verify is left out of the entry.</li>
 *   <li>{@code applyTransaction} (every replica, in log order): a transaction (or a batch's, in
 *       order) joins the block being built, with its signature check: the one the leader made
 *       before the log, kept in the transaction context, or one run on a pool on other replicas; a cut ends it at the cut's time (the leader's clock when it cut, never a
 *       replica's) and commits block, state and head in one batch; a header signature is stored
 *       if it verifies over the stored header (it always follows its block in the log).</li>
 * </ul>
 *
 * <h2>Header signatures</h2>
 * After committing a block, a validator signs its header ({@link HeaderSigner}, which never
 * signs two headers at one height) and submits the signature <em>as a log entry</em>. So every
 * replica stores the same signatures in the same order, and "the blocks certified before this
 * cut" (the uptime challenges in {@link BlockContext}) is the same on every replica. A signature
 * counts towards certification at a cut only if it was applied before that cut.
 *
 * <h2>Recovery</h2>
 * The store's head records the log index of the last cut. Ratis replays its log from the latest
 * snapshot (or from the start); entries up to the head's index are already in the store and are
 * skipped, and the transactions after it are applied again, so nothing acknowledged is lost.
 *
 * <h2>Snapshots</h2>
 * {@code takeSnapshot} checkpoints the store at the last cut ({@link ChainSnapshots}), so a
 * snapshot always ends at a block boundary and no buffered transaction is lost with the log it
 * lets Ratis purge. A follower too far behind gets the checkpoint from the leader, and
 * {@code reinitialize} reopens the store from it.
 *
 * <p>Concurrency: {@code startTransaction} may run on any thread and only reads the store;
 * everything else is confined to Ratis's apply thread. Readers get an immutable {@link View}
 * through a volatile field.
 */
final class LedgerStateMachine extends BaseStateMachine {
    /** How far a cut's time may be from the leader's clock, in seconds. */
    static final long MAX_CUT_SKEW_SECONDS = 60;

    /** The head block and the state after it; what readers see. */
    record View(BlockHeader head, LedgerState state) {}

    private final Genesis genesis;
    private final Path storeDir;
    private final Optional<HeaderSigner> signer;
    private final LongSupplier epochSeconds;
    private final Consumer<LogEntry> outbox;
    private final Consumer<Block> onBlock;

    private ChainSnapshots snapshots;
    private RocksStateStore store;
    private volatile View view;
    // Confined to the apply thread.
    private long cutIndex;
    /** The transactions of the block being built, in log order, each with its signature check under way or done. */
    private final List<CompletableFuture<CheckedTransaction>> pending = new ArrayList<>();
    /**
     * Checks the signatures of transactions this replica did not check before the log (every
     * replica's share of them, except the leader's own), while the log goes on; a cut waits for them.
     */
    private final ExecutorService verifiers = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().daemon().name("signature-check-", 0).factory());
    /** This validator's signatures of recent blocks, until they are in the log; for resending. */
    private final java.util.TreeMap<Long, LogEntry.Signature> sent = new java.util.TreeMap<>();
    /** How many blocks back a lost signature is still resent. */
    private static final long RESEND_WINDOW = 64;

    LedgerStateMachine(Genesis genesis, Path storeDir, Optional<HeaderSigner> signer, LongSupplier epochSeconds,
                       Consumer<LogEntry> outbox, Consumer<Block> onBlock) {
        this.genesis = genesis;
        this.storeDir = storeDir;
        this.signer = signer;
        this.epochSeconds = epochSeconds;
        this.outbox = outbox;
        this.onBlock = onBlock;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        snapshots = new ChainSnapshots(raftStorage.getStorageDir().getStateMachineDir().toPath());
        getLifeCycle().startAndTransition(this::open, IOException.class);
    }

    /**
     * Opens the store, first restoring it from the latest snapshot if that is newer (a snapshot
     * installed from the leader), and tells Ratis to replay the log after the snapshot.
     */
    private void open() throws IOException {
        Optional<ChainSnapshots.Snapshot> snapshot = snapshots.latest();
        store = RocksStateStore.open(storeDir);
        long headIndex = store.head().map(RocksStateStore.Head::index).orElse(Long.MIN_VALUE);
        if (snapshot.isPresent() && snapshot.get().termIndex().getIndex() > headIndex) {
            store.close();
            ChainSnapshots.restore(snapshot.get(), storeDir);
            store = RocksStateStore.open(storeDir);
        }
        if (store.head().isEmpty()) {
            store.commitGenesis(genesis.state(), genesis.header());
        }
        RocksStateStore.Head head = store.head().orElseThrow();
        if (!store.block(0).orElseThrow().header().equals(genesis.header())) {
            throw new IOException(storeDir + " holds another chain than genesis " + genesis.header().hash());
        }
        cutIndex = head.index();
        pending.clear();
        view = new View(head.header(), store.state());
        snapshot.ifPresent(s -> setLastAppliedTermIndex(s.termIndex()));
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return new StateMachineStorage() {
            @Override
            public void init(RaftStorage raftStorage) {}

            @Override
            public SnapshotInfo getLatestSnapshot() {
                return snapshots == null ? null : snapshots.latestInfo();
            }

            @Override
            public void format() {}

            @Override
            public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
                // ChainSnapshots keeps the newest ones itself.
            }
        };
    }

    /** Checkpoints the store at the last cut: snapshots always end at a block boundary. */
    @Override
    public long takeSnapshot() throws IOException {
        RocksStateStore.Head head = store.head().orElseThrow();
        if (head.index() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        snapshots.take(store, head.term(), head.index());
        return head.index();
    }

    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** After Ratis installed a snapshot from the leader: reopen the store from it. */
    @Override
    public void reinitialize() throws IOException {
        store.close();
        open();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    View view() {
        return view;
    }

    RocksStateStore store() {
        return store;
    }

    /**
     * What the leader makes of a client's entry before the log: the bytes that go into the log, what
     * it already decoded and verified (kept in the transaction context until it applies the entry, so
     * nothing is decoded or verified twice there), and why the entry is refused, if it is.
     */
    private record Admitted(ByteString logData, Object checked, Optional<String> refusal) {
        static Admitted refused(ByteString content, String reason) {
            return new Admitted(content, null, Optional.of(reason));
        }
    }

    /** A batch as the leader admitted it: the transactions with valid signatures, in their order. */
    private record CheckedBatch(List<CheckedTransaction> valid) {}

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        Admitted admitted = admit(request.getMessage().getContent());
        TransactionContext context = TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request)
                .setLogData(admitted.logData()).setStateMachineContext(admitted.checked()).build();
        admitted.refusal().ifPresent(reason -> context.setException(new IllegalArgumentException(reason)));
        return context;
    }

    private Admitted admit(ByteString content) {
        if (content.size() > LogEntry.MAX_ENTRY_BYTES) {
            return Admitted.refused(content, "entry size: " + content.size() + " bytes (expected: <= " + LogEntry.MAX_ENTRY_BYTES + ")");
        }
        LogEntry entry;
        try {
            entry = LogEntry.decode(content.toByteArray());
        } catch (CodecException e) {
            return Admitted.refused(content, "malformed entry: " + e.getMessage());
        }
        return switch (entry) {
            case LogEntry.Submit s -> {
                CheckedTransaction checked = CheckedTransaction.verify(s.transaction(), genesis.chainId());
                yield new Admitted(content, checked, checked.signatureValid() ? Optional.empty() : Optional.of(badSignature()));
            }
            case LogEntry.Batch b -> admitBatch(content, b);
            default -> new Admitted(content, entry, refusal(entry));
        };
    }

    /**
     * Verifies a batch's signatures in parallel. A transaction whose signature does not verify is
     * left out of the log entry; the rest go into the log, in their order. The reply names the
     * transactions that went in, so the submitter knows which were left out.
     */
    private Admitted admitBatch(ByteString content, LogEntry.Batch batch) {
        List<CheckedTransaction> checked = batch.transactions().stream()
                .map(tx -> CompletableFuture.supplyAsync(() -> CheckedTransaction.verify(tx, genesis.chainId()), verifiers))
                .toList().stream().map(CompletableFuture::join).toList();
        List<CheckedTransaction> valid = checked.stream().filter(CheckedTransaction::signatureValid).toList();
        if (valid.isEmpty()) {
            return Admitted.refused(content, badSignature());
        }
        ByteString logData = valid.size() == checked.size() ? content
                : ByteString.copyFrom(new LogEntry.Batch(valid.stream().map(CheckedTransaction::transaction).toList()).encode());
        return new Admitted(logData, new CheckedBatch(valid), Optional.empty());
    }

    private String badSignature() {
        return "bad signature for chain " + genesis.chainId();
    }

    /** Why a cut or a signature is refused before the log; submissions are checked in {@link #startTransaction}. */
    private Optional<String> refusal(LogEntry entry) {
        return switch (entry) {
            case LogEntry.Submit s -> Optional.empty();
            case LogEntry.Batch b -> Optional.empty();
            case LogEntry.Cut c -> Math.abs(c.time() - epochSeconds.getAsLong()) <= MAX_CUT_SKEW_SECONDS
                    ? cutRefusal(c, false).map(r -> r.replaceFirst("^refused ", ""))
                    : Optional.of("cut time: " + c.time() + " (expected: within " + MAX_CUT_SKEW_SECONDS
                    + " s of " + epochSeconds.getAsLong() + ")");
            // The leader may not have applied the block yet, so the signature itself is checked when
            // it is applied, where every replica holds the header; here only the signer is.
            case LogEntry.Signature s -> ValidatorSet.of(view.state().params()).contains(s.signature().validator())
                    ? Optional.empty() : Optional.of("signer " + s.signature().validator().hex() + " is not a validator");
        };
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        if (index <= cutIndex) {
            updateLastAppliedTermIndex(entry.getTerm(), index);
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        Object context = trx.getStateMachineContext();
        if (context instanceof CheckedTransaction c) {
            pending.add(CompletableFuture.completedFuture(c));
            updateLastAppliedTermIndex(entry.getTerm(), index);
            return CompletableFuture.completedFuture(Message.valueOf("queued " + BlockProducer.hashOf(c.transaction())));
        }
        if (context instanceof CheckedBatch b) {
            b.valid().forEach(c -> pending.add(CompletableFuture.completedFuture(c)));
            updateLastAppliedTermIndex(entry.getTerm(), index);
            return CompletableFuture.completedFuture(Message.valueOf(
                    queued(b.valid().stream().map(CheckedTransaction::transaction).toList())));
        }
        LogEntry decoded = context instanceof LogEntry e ? e
                : LogEntry.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
        String reply;
        try {
            reply = switch (decoded) {
                case LogEntry.Submit s -> {
                    pending.add(verifyLater(s.transaction()));
                    yield "queued " + BlockProducer.hashOf(s.transaction());
                }
                case LogEntry.Batch b -> {
                    b.transactions().forEach(tx -> pending.add(verifyLater(tx)));
                    yield queued(b.transactions());
                }
                case LogEntry.Cut c -> {
                    Optional<String> refused = cutRefusal(c, true);
                    yield refused.isPresent() ? refused.get() : cut(c.time(), entry.getTerm(), index);
                }
                case LogEntry.Signature s -> signature(s, index);
            };
        } catch (IOException e) {
            // A store that cannot write must stop this replica: continuing would fork it from the others.
            throw new UncheckedIOException(e);
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        return CompletableFuture.completedFuture(Message.valueOf(reply));
    }

    /**
     * The reply to a batch, one line "queued &lt;hash&gt;" per transaction in the entry. Every replica
     * gives the same one: Ratis keeps replies in its retry cache, and a client that retries with a
     * new leader may be answered from it.
     */
    private static String queued(List<SignedTransaction> transactions) {
        return String.join("\n", transactions.stream().map(tx -> "queued " + BlockProducer.hashOf(tx)).toList());
    }

    private CompletableFuture<CheckedTransaction> verifyLater(SignedTransaction tx) {
        return CompletableFuture.supplyAsync(() -> CheckedTransaction.verify(tx, genesis.chainId()), verifiers);
    }

    /**
     * Why a cut must end no block: its signer is not a validator in force, its signature does not
     * verify, or (when applied) it is not for the next height, as a replayed or stale cut is not.
     * The same on every replica, in log order.
     */
    private Optional<String> cutRefusal(LogEntry.Cut c, boolean applying) {
        if (!ValidatorSet.of(view.state().params()).contains(c.signature().validator())) {
            return Optional.of("refused cut: signer " + c.signature().validator().hex() + " is not a validator");
        }
        if (applying && c.height() != view.head().height() + 1) {
            return Optional.of("refused cut for height " + c.height() + ": the next block is " + (view.head().height() + 1));
        }
        if (!c.verifies(genesis.chainId())) {
            return Optional.of("refused cut: bad signature for chain " + genesis.chainId());
        }
        return Optional.empty();
    }

    /**
     * Stores a header signature if its signer is a validator in force and it verifies over the
     * stored header; otherwise it is dropped, the same way on every replica. The check before the
     * log runs on the leader only, against its own view, so it cannot be the one that decides.
     */
    private String signature(LogEntry.Signature s, long index) throws IOException {
        if (!ValidatorSet.of(view.state().params()).contains(s.signature().validator())) {
            return "refused signature " + s.height() + ": signer " + s.signature().validator().hex() + " is not a validator";
        }
        Optional<Block> block = store.block(s.height());
        if (block.isEmpty() || !s.signature().verifies(block.get().header())) {
            return "refused signature " + s.height() + ": does not verify over the stored header";
        }
        store.putSignature(s.height(), s.signature(), index);
        return "signature " + s.height();
    }

    private String cut(long time, long term, long index) throws IOException {
        View before = view;
        TreeMap<Long, Hash256> challenges = certifiedBefore(before, index);
        BlockProducer.Produced produced = BlockProducer.nextChecked(before.state(), before.head(),
                pending.stream().map(CompletableFuture::join).toList(), time, challenges);
        store.commitBlock(produced.block(), produced.state(), term, index, challenges, List.of());
        pending.clear();
        cutIndex = index;
        BlockHeader header = produced.block().header();
        view = new View(header, store.state());
        onBlock.accept(produced.block());
        if (signer.isPresent() && header.height() > signer.get().lastSignedHeight()
                && ValidatorSet.of(before.state().params()).contains(signer.get().key().publicKey())) {
            if (signer.get().sign(header) instanceof HeaderSigner.Result.Signed signed) {
                LogEntry.Signature entry = new LogEntry.Signature(header.height(), signed.signature());
                sent.put(header.height(), entry);
                outbox.accept(entry);
            }
        }
        resendLostSignatures(header.height());
        return "block " + header.height();
    }

    /**
     * A signature sent while the leader changes can be lost, and the block would then lack it for
     * good. At each cut, this validator's own signatures of the blocks before the previous one that
     * are still not in the log, of blocks still short of a quorum, are sent again (the same bytes:
     * {@link HeaderSigner} never signs a height twice).
     */
    private void resendLostSignatures(long head) {
        ValidatorSet validators = ValidatorSet.of(view.state().params());
        for (var it = sent.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            long h = e.getKey();
            List<HeaderSignature> stored = store.signatures(h);
            boolean landed = stored.stream().anyMatch(s -> s.validator().equals(e.getValue().signature().validator()));
            if (landed || validators.isQuorumOfVerified(stored) || h < head - RESEND_WINDOW) {
                it.remove();
            } else if (h < head - 1) {
                outbox.accept(e.getValue());
            }
        }
    }

    /** Recent blocks that a quorum had signed by log index {@code before}: the same on every replica. */
    private TreeMap<Long, Hash256> certifiedBefore(View v, long before) {
        TreeMap<Long, Hash256> certified = new TreeMap<>();
        ValidatorSet validators = ValidatorSet.of(v.state().params());
        long deadline = v.state().params().challengeDeadlineBlocks();
        for (long h = Math.max(1, v.head().height() - deadline); h <= v.head().height(); h++) {
            Optional<Block> block = store.block(h);
            if (block.isEmpty()) {
                continue;
            }
            // Stored signatures were verified over this header when applied; counting them is enough.
            if (validators.isQuorumOfVerified(store.signaturesAppliedBefore(h, before))) {
                certified.put(h, block.get().header().hash());
            }
        }
        return certified;
    }

    @Override
    public void close() throws IOException {
        super.close();
        verifiers.shutdownNow();
        if (store != null) {
            store.close();
        }
    }
}
