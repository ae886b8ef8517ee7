package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
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
public final class LedgerState {
    private static final byte[] HASH_DOMAIN = "quilt/state/v1".getBytes(StandardCharsets.US_ASCII);

    final ChainParameters params;
    final NavigableMap<Long, PricingPolicy> pricingPolicies;
    final NavigableMap<Ed25519PublicKey, Account> accounts;
    final NavigableMap<Long, Twin> twins;
    final NavigableMap<Long, Farm> farms;
    final NavigableMap<Long, Node> nodes;
    final NavigableMap<Long, Contract> contracts;
    final NavigableMap<Long, Proposal> proposals;
    final Supply supply;
    final long rewardPeriodStart;

    LedgerState(ChainParameters params, Map<Long, PricingPolicy> pricingPolicies,
                Map<Ed25519PublicKey, Account> accounts, Map<Long, Twin> twins, Map<Long, Farm> farms,
                Map<Long, Node> nodes, Map<Long, Contract> contracts, Map<Long, Proposal> proposals,
                Supply supply, long rewardPeriodStart) {
        this.params = params;
        this.pricingPolicies = frozen(pricingPolicies);
        this.accounts = frozen(accounts);
        this.twins = frozen(twins);
        this.farms = frozen(farms);
        this.nodes = frozen(nodes);
        this.contracts = frozen(contracts);
        this.proposals = frozen(proposals);
        this.supply = supply;
        this.rewardPeriodStart = rewardPeriodStart;
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
        return new LedgerState(params, byId, accounts, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                new Supply(minted, 0), start);
    }

    public ChainParameters params() {
        return params;
    }

    public NavigableMap<Long, PricingPolicy> pricingPolicies() {
        return pricingPolicies;
    }

    public NavigableMap<Ed25519PublicKey, Account> accounts() {
        return accounts;
    }

    /** The account of {@code key}; a key never seen has balance 0 and nonce 0. */
    public Account account(Ed25519PublicKey key) {
        return accounts.getOrDefault(key, Account.EMPTY);
    }

    public NavigableMap<Long, Twin> twins() {
        return twins;
    }

    public Optional<Twin> twinOf(Ed25519PublicKey key) {
        return twins.values().stream().filter(t -> t.account().equals(key)).findFirst();
    }

    public NavigableMap<Long, Farm> farms() {
        return farms;
    }

    public NavigableMap<Long, Node> nodes() {
        return nodes;
    }

    public NavigableMap<Long, Contract> contracts() {
        return contracts;
    }

    public NavigableMap<Long, Proposal> proposals() {
        return proposals;
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
     * encoding of the entry); what a block header will commit to.
     */
    public Hash256 stateRoot() {
        return tree().root();
    }

    /** The canonical encoding of the entry under {@code key}, if there is one. */
    public Optional<byte[]> entry(byte[] key) {
        return StateEntries.of(this).entrySet().stream()
                .filter(e -> java.util.Arrays.equals(e.getKey(), key))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** A proof, under {@link #stateRoot()}, of the entry under {@code key} or of its absence. */
    public MerkleProof prove(byte[] key) {
        return tree().prove(key);
    }

    private SparseMerkleTree tree() {
        return SparseMerkleTree.of(StateEntries.of(this));
    }

    /**
     * Fails with {@link IllegalStateException} naming the first broken invariant. The ledger keeps
     * these by construction; tests call this after every step.
     * <ul>
     *   <li>the balances add up to {@code minted − burned};</li>
     *   <li>each node's reserved capacity is the sum of its live node contracts' requests and fits its capacity;</li>
     *   <li>each assigned farm IP belongs to a live node contract that lists it;</li>
     *   <li>a node's rent contract is a live rent contract on that node.</li>
     * </ul>
     */
    void checkInvariants() {
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

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerState s && java.util.Arrays.equals(encode(), s.encode());
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "LedgerState[" + accounts.size() + " accounts, " + twins.size() + " twins, " + farms.size()
                + " farms, " + nodes.size() + " nodes, " + contracts.size() + " contracts, " + supply + "]";
    }

    private static <K, V> NavigableMap<K, V> frozen(Map<K, V> map) {
        return Collections.unmodifiableNavigableMap(new TreeMap<>(map));
    }
}
