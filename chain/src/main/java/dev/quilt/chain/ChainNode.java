package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One member of a chain: a validator (a voting Ratis peer with a signing key) or a full node (a
 * non-voting Ratis listener that follows the chain and serves reads). It wires a Ratis server
 * around a {@link LedgerStateMachine}, a client to submit entries, and, on the leader, the timer
 * that cuts a block every {@link Config#blockInterval()}.
 *
 * <h2>On-disk layout</h2>
 * <pre>
 * dataDir/raft/     Ratis log and metadata
 * dataDir/state/    RocksDB: entries, Merkle nodes, blocks, signatures, head ({@link RocksStateStore})
 * dataDir/signer.state  the last signed height ({@link HeaderSigner}); validators only
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class ChainNode implements ChainSource, AutoCloseable {

    /** A member of the chain's Ratis group. */
    public record Peer(String id, InetSocketAddress address, boolean listener) {}

    /**
     * @param validatorKey present for a validator, empty for a full node
     * @param epochSeconds the leader's clock for cut times; tests pass their own
     * @param snapshotEveryEntries log entries between snapshots; the log is purged up to each one
     */
    public record Config(String id, Path dataDir, List<Peer> peers, Genesis genesis, Optional<Ed25519KeyPair> validatorKey,
                         Duration blockInterval, LongSupplier epochSeconds, long snapshotEveryEntries) {
        /** Snapshot every this many log entries unless told otherwise. */
        public static final long DEFAULT_SNAPSHOT_EVERY = 10_000;

        public Config {
            peers = List.copyOf(peers);
            if (snapshotEveryEntries < 1) {
                throw new IllegalArgumentException("snapshotEveryEntries: " + snapshotEveryEntries + " (expected: >= 1)");
            }
            if (peers.stream().noneMatch(p -> p.id().equals(id))) {
                throw new IllegalArgumentException("id: " + id + " (expected: one of the peers " + peers.stream().map(Peer::id).toList() + ")");
            }
        }
    }

    private final Config config;
    private final RaftGroup group;
    private final RaftClient client;
    /** Blocking sends (signatures, submissions) on virtual threads, so the apply thread never waits on the network. */
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Consumer<Block>> blockListeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger signaturesToLose = new java.util.concurrent.atomic.AtomicInteger();
    private final ScheduledExecutorService cutter;
    private final LedgerStateMachine stateMachine;
    private final RaftServer server;
    private final SubmitBatcher batcher;

    private ChainNode(Config config) throws IOException {
        this.config = config;
        this.group = RaftGroup.valueOf(
                RaftGroupId.valueOf(UUID.nameUUIDFromBytes(config.genesis().chainId().getBytes(StandardCharsets.UTF_8))),
                config.peers().stream().map(ChainNode::raftPeer).toList());
        this.client = RaftClient.newBuilder().setProperties(new RaftProperties()).setRaftGroup(group).build();
        Optional<HeaderSigner> signer = Optional.empty();
        if (config.validatorKey().isPresent()) {
            Files.createDirectories(config.dataDir());
            signer = Optional.of(HeaderSigner.open(config.validatorKey().get(), config.dataDir().resolve("signer.state")));
        }
        this.stateMachine = new LedgerStateMachine(config.genesis(), config.dataDir().resolve("state"), signer,
                config.epochSeconds(), this::sendInBackground, block -> blockListeners.forEach(l -> l.accept(block)));
        Peer self = config.peers().stream().filter(p -> p.id().equals(config.id())).findFirst().orElseThrow();
        RaftProperties properties = new RaftProperties();
        Path raftDir = config.dataDir().resolve("raft");
        boolean existing = Files.isDirectory(raftDir);
        RaftServerConfigKeys.setStorageDir(properties, List.of(raftDir.toFile()));
        GrpcConfigKeys.Server.setPort(properties, self.address().getPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
        // Snapshots let Ratis purge its log; a replica that falls behind the purge gets the snapshot.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setCreationGap(properties, config.snapshotEveryEntries());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(Integer.MAX_VALUE, config.snapshotEveryEntries()));
        // Purging works by whole segments, so segments are kept small relative to the snapshot interval.
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties,
                SizeInBytes.valueOf(Math.max(8 * 1024, Math.min(8L << 20, config.snapshotEveryEntries() * 256))));
        this.server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(config.id())).setGroup(group)
                .setStateMachine(stateMachine).setProperties(properties)
                .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT).build();
        this.batcher = new SubmitBatcher(config.id(), batch -> List.of(send(batch).split("\n")),
                "bad signature for chain " + config.genesis().chainId());
        this.cutter = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("block-cutter-" + config.id()).factory());
    }

    public static ChainNode start(Config config) throws IOException {
        ChainNode node = new ChainNode(config);
        node.server.start();
        long every = config.blockInterval().toMillis();
        node.cutter.scheduleWithFixedDelay(node::cutIfLeader, every, every, TimeUnit.MILLISECONDS);
        return node;
    }

    private static RaftPeer raftPeer(Peer p) {
        return RaftPeer.newBuilder().setId(p.id()).setAddress(p.address())
                .setStartupRole(p.listener() ? RaftPeerRole.LISTENER : RaftPeerRole.FOLLOWER).build();
    }

    private static Message message(LogEntry entry) {
        return Message.valueOf(ByteString.copyFrom(entry.encode()));
    }

    /** Only the leader cuts, so blocks follow one clock; a new leader picks up at the next tick. */
    private void cutIfLeader() {
        try {
            RaftServer.Division division = server.getDivision(group.getGroupId());
            if (config.validatorKey().isPresent() && division.getInfo().isLeader() && division.getInfo().isLeaderReady()) {
                client.io().send(message(LogEntry.Cut.sign(config.validatorKey().get(), config.genesis().chainId(),
                        head().height() + 1, config.epochSeconds().getAsLong())));
            }
        } catch (IOException | RuntimeException e) {
            // The next tick retries; a node that is shutting down or not yet ready simply skips a cut.
        }
    }

    /**
     * Sends an entry of this node's own (a header signature) on a virtual thread. The blocking
     * client is used on purpose: Ratis's ordered asynchronous client stops sending after one
     * request is refused by the state machine, and refusals are normal here.
     */
    private void sendInBackground(LogEntry entry) {
        if (entry instanceof LogEntry.Signature && signaturesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        try {
            senders.execute(() -> {
                try {
                    client.io().send(message(entry));
                } catch (IOException | RuntimeException e) {
                    // Lost with a leader change or a shutdown; a signature only adds to a certificate, nothing waits on it.
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: the log still applies its last entries, but nothing more is sent.
        }
    }

    /**
     * Submits a transaction through the group's leader, in a batch with the others this node receives
     * meanwhile ({@link SubmitBatcher}). Completes with "queued &lt;hash&gt;" once it is in the log, or
     * exceptionally with the reason it was refused before the log.
     */
    @Override
    public CompletableFuture<String> submit(SignedTransaction tx) {
        return batcher.submit(tx);
    }

    /** Sends any log entry through the leader; the answer is the state machine's reply or refusal. */
    CompletableFuture<String> submitEntry(LogEntry entry) {
        return CompletableFuture.supplyAsync(() -> send(entry), senders);
    }

    /** Sends an entry and waits for the state machine's reply; a refusal before the log is an {@link IllegalArgumentException}. */
    private String send(LogEntry entry) {
        try {
            return replyText(client.io().send(message(entry)));
        } catch (StateMachineException e) {
            throw new IllegalArgumentException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String replyText(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new IllegalArgumentException(reply.getException() == null ? "refused" : reply.getException().getMessage());
        }
        return reply.getMessage().getContent().toStringUtf8();
    }

    public String id() {
        return config.id();
    }

    /** The last committed block's header. */
    @Override
    public BlockHeader head() {
        return stateMachine.view().head();
    }

    /** The state after {@link #head()}. */
    @Override
    public LedgerState state() {
        return stateMachine.view().state();
    }

    @Override
    public Optional<Block> block(long height) {
        return stateMachine.store().block(height);
    }

    @Override
    public List<HeaderSignature> signatures(long height) {
        return stateMachine.store().signatures(height);
    }

    /** The header at {@code height} with the signatures stored for it so far. */
    public Optional<CertifiedHeader> certified(long height) {
        return block(height).map(b -> new CertifiedHeader(b.header(), signatures(height)));
    }

    @Override
    public java.util.NavigableMap<Long, dev.quilt.common.crypto.Hash256> challenges(long height) {
        return stateMachine.store().challenges(height);
    }

    @Override
    public java.util.Map<String, Object> statusDetails() {
        return java.util.Map.of("role", config.validatorKey().isPresent() ? "validator" : "full node");
    }

    /** Where a transaction was included, if it is in a committed block. */
    @Override
    public Optional<RocksStateStore.Inclusion> inclusion(dev.quilt.common.crypto.Hash256 transactionHash) {
        return stateMachine.store().inclusion(transactionHash);
    }

    /** True when block {@code height} is committed and signed by a quorum of the validators in force. */
    @Override
    public boolean isFinal(long height) {
        // The store keeps only signatures that verified over the stored header when applied.
        return block(height).isPresent() && ValidatorSet.of(state().params()).isQuorumOfVerified(signatures(height));
    }

    /** Fault injection for tests: the next {@code n} header signatures of this node are lost on the way to the log. */
    void loseNextSignatures(int n) {
        signaturesToLose.set(n);
    }

    /** Whether this node leads the Ratis group now (and so cuts the blocks). */
    boolean isLeader() {
        try {
            return server.getDivision(group.getGroupId()).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /** The log index of the cut that ended the last committed block. */
    long committedCutIndex() {
        return stateMachine.store().head().orElseThrow().index();
    }

    /** The first index still in this node's Ratis log: entries before it are only in snapshots. */
    long logStartIndex() throws IOException {
        return server.getDivision(group.getGroupId()).getRaftLog().getStartIndex();
    }

    /** Called on the apply thread after each committed block; must not block. */
    @Override
    public void onBlock(Consumer<Block> listener) {
        blockListeners.add(listener);
    }

    @Override
    public Genesis genesis() {
        return config.genesis();
    }

    @Override
    public void close() throws IOException {
        batcher.close();
        cutter.shutdownNow();
        server.close();
        senders.shutdownNow();
        client.close();
    }
}
