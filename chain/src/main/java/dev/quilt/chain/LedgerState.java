package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole ledger at one point: parameters, pricing policies, accounts, twins, farms, nodes,
 * contracts, proposals, the supply counters and the start of the current reward period.
 *
 * <p>Immutable and thread-safe: every map is sorted by key and never changed after construction.
 * {@link Ledger} produces a new state by editing a private copy ({@link WorkingState}). Copying on
 * every transaction costs O(size); that is acceptable for the in-memory ledger and is what the
 * RocksDB-backed store will replace.
 *
 * <p>Two states are equal when their canonical encodings ({@link StateCodec}) are; {@link #hash()}
 * is SHA-256 over that encoding, a stand-in for the sparse-Merkle state root to come.
 */
/**
 * The whole ledger at one point: parameters, pricing policies, accounts, twins, farms, nodes,
 * contracts, proposals, the supply counters and the start of the current reward period.
 *
 * <p>Kept as sorted entries ({@link StateView}: {@link StateKeys} → canonical encoding) and the
 * root of the sparse Merkle tree over them. A transaction edits a journal over its state
 * ({@link WorkingState}, {@link EntryOverlay}); the next state is that journal, sealed, and its
 * root is updated along the changed keys only ({@link IncrementalMerkleTree}). So applying a
 * transaction costs O(entries it touches · log size), not O(size), and the state can be served
 * from a RocksDB store as well as from memory.
 *
 * <p>Immutable and thread-safe: a sealed journal is never written again, and Merkle nodes are only
 * added. Two states are equal when their state roots are, which commit to every entry.
 * {@link #hash()} is SHA-256 over the canonical encoding of the whole state ({@link StateCodec}).
 */
public final class LedgerState {
    private static final byte[] HASH_DOMAIN = "quilt/state/v1".getBytes(StandardCharsets.US_ASCII);

    private final StateView entries;
    private final MerkleNodeStore merkleNodes;
    private final Hash256 root;
    final ChainParameters params;
    final Supply supply;
    final long rewardPeriodStart;

    private LedgerState(StateView entries, MerkleNodeStore merkleNodes, Hash256 root) {
        this.entries = entries;
        this.merkleNodes = merkleNodes;
        this.root = root;
        this.params = StateTables.params(required(StateKeys.params()));
        StateTables.SupplyEntry s = StateTables.supply(required(StateKeys.supply()));
        this.supply = s.supply();
        this.rewardPeriodStart = s.rewardPeriodStart();
    }

    /**
     * A state served by {@code entries} whose Merkle nodes are in {@code merkleNodes} under
     * {@code root}: how a store opens the state it persisted. The caller vouches that the root is
     * the one of these entries.
     */
    static LedgerState open(StateView entries, MerkleNodeStore merkleNodes, Hash256 root) {
        return new LedgerState(entries, merkleNodes, root);
    }

    /** A state holding exactly these values, its tree built in memory. */
    static LedgerState of(ChainParameters params, Map<Long, PricingPolicy> pricingPolicies,
                          Map<Ed25519PublicKey, Account> accounts, Map<Long, Twin> twins, Map<Long, Farm> farms,
                          Map<Long, Node> nodes, Map<Long, Contract> contracts, Map<Long, Proposal> proposals,
                          Map<String, Snapshot> snapshots, Supply supply, long rewardPeriodStart) {
        EntryOverlay journal = new EntryOverlay(StateView.empty());
        journal.put(StateKeys.params(), StateTables.params(params));
        journal.put(StateKeys.supply(), StateTables.supply(supply, rewardPeriodStart));
        fill(journal, StateTables.POLICIES, pricingPolicies);
        fill(journal, StateTables.ACCOUNTS, accounts);
        fill(journal, StateTables.TWINS, twins);
        fill(journal, StateTables.FARMS, farms);
        fill(journal, StateTables.NODES, nodes);
        fill(journal, StateTables.CONTRACTS, contracts);
        fill(journal, StateTables.PROPOSALS, proposals);
        fill(journal, StateTables.SNAPSHOTS, snapshots);
        return seal(journal, MerkleNodeStore.inMemory(), SparseMerkleTree.EMPTY);
    }

    private static <K extends Comparable<K>, V> void fill(EntryOverlay journal, Table.Spec<K, V> spec, Map<K, V> values) {
        Table<K, V> table = new Table<>(journal, spec);
        values.forEach(table::put);
    }

    /** The state after {@code journal}'s writes over this one. */
    LedgerState after(EntryOverlay journal) {
        return seal(journal, merkleNodes, root);
    }

    private static LedgerState seal(EntryOverlay journal, MerkleNodeStore merkleNodes, Hash256 root) {
        IncrementalMerkleTree tree = new IncrementalMerkleTree(merkleNodes);
        Hash256 next = root;
        for (Map.Entry<byte[], byte[]> e : journal.writes().entrySet()) {
            next = tree.put(next, e.getKey(), e.getValue());
        }
        return new LedgerState(journal.compacted(), merkleNodes, next);
    }

    private byte[] required(byte[] key) {
        byte[] bytes = entries.get(key);
        if (bytes == null) {
            throw new IllegalStateException("state has no entry " + java.util.HexFormat.of().formatHex(key));
        }
        return bytes;
    }

    /**
     * The first state of a chain.
     *
     * @param policies must include policy 1, which new farms sell at
     * @param allocations initial balances, counted as minted
     * @param genesisTime block time of the genesis block; the first reward period starts at the
     *        beginning of its uptime window
     */
    public static LedgerState genesis(ChainParameters params, List<PricingPolicy> policies,
                                      Map<Ed25519PublicKey, Long> allocations, long genesisTime) {
        TreeMap<Long, PricingPolicy> byId = new TreeMap<>();
        policies.forEach(p -> byId.put(p.id(), p));
        if (!byId.containsKey(1L)) {
            throw new IllegalArgumentException("genesis needs pricing policy 1, the default for new farms");
        }
        TreeMap<Ed25519PublicKey, Account> accounts = new TreeMap<>();
        long minted = 0;
        for (var e : allocations.entrySet()) {
            accounts.put(e.getKey(), new Account(e.getValue(), 0));
            minted = Math.addExact(minted, e.getValue());
        }
        long start = genesisTime - genesisTime % params.uptimeWindowSeconds();
        return of(params, byId, accounts, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                new Supply(minted, 0), start);
    }

    public ChainParameters params() {
        return params;
    }

    /** All pricing policies, decoded: O(size), like every whole-table view below. */
    public NavigableMap<Long, PricingPolicy> pricingPolicies() {
        return new Table<>(entries, StateTables.POLICIES).asMap();
    }

    public NavigableMap<Ed25519PublicKey, Account> accounts() {
        return new Table<>(entries, StateTables.ACCOUNTS).asMap();
    }

    /** The account of {@code key}; a key never seen has balance 0 and nonce 0. */
    public Account account(Ed25519PublicKey key) {
        return new Table<>(entries, StateTables.ACCOUNTS).getOrDefault(key, Account.EMPTY);
    }

    public NavigableMap<Long, Twin> twins() {
        return new Table<>(entries, StateTables.TWINS).asMap();
    }

    public Optional<Twin> twinOf(Ed25519PublicKey key) {
        return new Table<>(entries, StateTables.TWINS).values().stream().filter(t -> t.account().equals(key)).findFirst();
    }

    public NavigableMap<Long, Farm> farms() {
        return new Table<>(entries, StateTables.FARMS).asMap();
    }

    public NavigableMap<Long, Node> nodes() {
        return new Table<>(entries, StateTables.NODES).asMap();
    }

    public Optional<Node> node(long id) {
        return Optional.ofNullable(new Table<>(entries, StateTables.NODES).get(id));
    }

    public NavigableMap<Long, Contract> contracts() {
        return new Table<>(entries, StateTables.CONTRACTS).asMap();
    }

    public Optional<Contract> contract(long id) {
        return Optional.ofNullable(new Table<>(entries, StateTables.CONTRACTS).get(id));
    }

    public NavigableMap<Long, Proposal> proposals() {
        return new Table<>(entries, StateTables.PROPOSALS).asMap();
    }

    /** Every snapshot record by name. */
    public NavigableMap<String, Snapshot> snapshots() {
        return new Table<>(entries, StateTables.SNAPSHOTS).asMap();
    }

    public Optional<Snapshot> snapshot(String name) {
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Snapshot.MAX_NAME) {
            return Optional.empty();
        }
        return Optional.ofNullable(new Table<>(entries, StateTables.SNAPSHOTS).get(name));
    }

    public Supply supply() {
        return supply;
    }

    public long rewardPeriodStart() {
        return rewardPeriodStart;
    }

    /** The canonical encoding of the whole state. */
    public byte[] encode() {
        return StateCodec.STATE.encode(this);
    }

    public static LedgerState decode(byte[] bytes) {
        return StateCodec.STATE.decode(bytes);
    }

    public Hash256 hash() {
        return Sha256.digest(HASH_DOMAIN, encode());
    }

    /**
     * The root of a sparse Merkle tree over the state's entries ({@link StateKeys} → canonical
     * encoding of the entry); what a block header commits to.
     */
    public Hash256 stateRoot() {
        return root;
    }

    /** The canonical encoding of the entry under {@code key}, if there is one. */
    public Optional<byte[]> entry(byte[] key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** A proof, under {@link #stateRoot()}, of the entry under {@code key} or of its absence. */
    public MerkleProof prove(byte[] key) {
        return new IncrementalMerkleTree(merkleNodes).prove(root, key);
    }

    /** The entries this state is served from. */
    StateView entries() {
        return entries;
    }

    MerkleNodeStore merkleNodes() {
        return merkleNodes;
    }

    /**
     * Fails with {@link IllegalStateException} naming the first broken invariant. The ledger keeps
     * these by construction; tests call this after every step.
     * <ul>
     *   <li>the balances add up to {@code minted − burned};</li>
     *   <li>each node's reserved capacity is the sum of its live node contracts' requests and fits its capacity;</li>
     *   <li>each assigned farm IP belongs to a live node contract that lists it;</li>
     *   <li>a node's rent contract is a live rent contract on that node;</li>
     *   <li>a snapshot's publisher is a twin, its versions are numbered 1, 2, ... and its manifest hashes distinct;</li>
     *   <li>the incrementally kept state root is the root of a tree built from scratch over the entries.</li>
     * </ul>
     */
    void checkInvariants() {
        Hash256 scratch = SparseMerkleTree.of(StateEntries.of(this)).root();
        if (!scratch.equals(root)) {
            throw new IllegalStateException("state root " + root + " differs from the entries' root " + scratch);
        }
        NavigableMap<Ed25519PublicKey, Account> accounts = accounts();
        NavigableMap<Long, Node> nodes = nodes();
        NavigableMap<Long, Contract> contracts = contracts();
        NavigableMap<Long, Farm> farms = farms();
        long total = 0;
        for (Account a : accounts.values()) {
            total = Math.addExact(total, a.balance());
        }
        if (total != supply.circulating()) {
            throw new IllegalStateException("balances add up to " + total + ", supply says " + supply);
        }
        for (Node node : nodes.values()) {
            Resources reserved = contracts.values().stream()
                    .filter(c -> c.state().isLive() && c.kind() instanceof ContractKind.NodeContract n && n.nodeId() == node.id())
                    .map(c -> ((ContractKind.NodeContract) c.kind()).requested())
                    .reduce(Resources.ZERO, Resources::plus);
            if (!reserved.equals(node.reserved()) || !reserved.fitsIn(node.capacity())) {
                throw new IllegalStateException("node " + node.id() + " reserves " + node.reserved()
                        + ", contracts request " + reserved + ", capacity " + node.capacity());
            }
            if (node.rentContract() != 0) {
                Contract rent = contracts.get(node.rentContract());
                if (rent == null || !rent.state().isLive() || !(rent.kind() instanceof ContractKind.RentContract r)
                        || r.nodeId() != node.id()) {
                    throw new IllegalStateException("node " + node.id() + " points at rent contract " + node.rentContract());
                }
            }
        }
        for (Snapshot snap : snapshots().values()) {
            if (!twins().containsKey(snap.publisherTwin())) {
                throw new IllegalStateException("snapshot " + snap.name() + " is published by missing twin " + snap.publisherTwin());
            }
            for (int i = 0; i < snap.versions().size(); i++) {
                Snapshot.Version v = snap.versions().get(i);
                if (v.version() != i + 1 || snap.find(v.manifestHash()).orElseThrow() != v) {
                    throw new IllegalStateException("snapshot " + snap.name() + " has version " + v.version() + " at " + (i + 1)
                            + " or a repeated manifest " + v.manifestHash());
                }
            }
        }
        for (Farm farm : farms.values()) {
            for (PublicIp ip : farm.publicIps()) {
                if (ip.isFree()) {
                    continue;
                }
                Contract holder = contracts.get(ip.contractId());
                if (holder == null || !holder.state().isLive() || !(holder.kind() instanceof ContractKind.NodeContract n)
                        || !n.publicIps().contains(ip.ip())) {
                    throw new IllegalStateException("IP " + ip.ip() + " is held by contract " + ip.contractId());
                }
            }
        }
    }

    WorkingState edit() {
        return new WorkingState(this);
    }

    /** Equal state roots: the root commits to every entry, so this is equality of content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerState s && root.equals(s.root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return "LedgerState[root " + root + ", " + supply + "]";
    }
}
