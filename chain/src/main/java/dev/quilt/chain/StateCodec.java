package dev.quilt.chain;

import dev.quilt.chain.ContractKind.NameContract;
import dev.quilt.chain.ContractKind.NodeContract;
import dev.quilt.chain.ContractKind.RentContract;
import dev.quilt.common.codec.CanonicalCodec;
import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Canonical encoding of a whole {@link LedgerState}: what its hash covers and what a snapshot will
 * store. Maps are written as lists sorted by key, so equal states have equal bytes.
 *
 * <pre>
 * state     = version u8 (02) | params | policies | accounts | twins | farms | nodes | contracts
 *             | proposals | snapshots | minted int64 | burned int64 | rewardPeriodStart int64
 *             (version 01, read for genesis files made before snapshot records, has no snapshots)
 * params    = chainId str | billingPeriod | gracePeriod | uptimeWindow | challengeDeadline | rewardPeriod (int64)
 *             | minUptimePermille int32 | rewardPerWeight int64 | farmerShare u8 | faucetLimit int64
 *             | maxProposal int64 | [discount: name str, monthsTenths int32, percentPaid u8] | [validator 32]
 * account   = key 32 | balance int64 | nonce int64
 * twin      = id | key 32 | endpoint? str
 * farm      = id | name str | ownerTwin | policyId | [ip str | gateway str | contractId]
 * node      = id | farmId | twinId | capacity | reserved | location | endpoint str | registeredAt
 *             | rentContract | [window int64]
 * contract  = id | twinId | kind (01 node: nodeId, hash 32, requested, [ip str], used, nuBytes;
 *             02 name: str; 03 rent: nodeId) | state (01 created; 02 grace: since, unpaid;
 *             03 deleted: reason u8) | createdAt | billedUntil
 * proposal  = id | proposer 32 | action | farmQuorum int32 | deadline | [key 32, bool]
 *             | [farmId, bool, weight] | status u8
 * snapshot  = name str | publisherTwin | [version | manifestHash 32 | sizeBytes | sourceChain? str
 *             | sourceHeight? int64 | publishedAtHeight | publishedAt]
 * </pre>
 */
final class StateCodec {
    static final int VERSION = 2;
    private static final int VERSION_WITHOUT_SNAPSHOTS = 1;
    private static final int MANY = Integer.MAX_VALUE;

    private StateCodec() {}

    static final CanonicalCodec<LedgerState> STATE = new CanonicalCodec<>() {
        @Override
        public void write(LedgerState s, CanonicalWriter out) {
            out.u8(VERSION);
            params(out, s.params());
            map(out, s.pricingPolicies(), (w, p) -> ValueCodecs.pricingPolicy(w, p));
            map(out, s.accounts(), StateCodec::account, ValueCodecs::key);
            map(out, s.twins(), StateCodec::twin);
            map(out, s.farms(), StateCodec::farm);
            map(out, s.nodes(), StateCodec::node);
            map(out, s.contracts(), StateCodec::contract);
            map(out, s.proposals(), StateCodec::proposal);
            out.list(List.copyOf(s.snapshots().values()), MANY, StateCodec::snapshot);
            supply(out, s.supply(), s.rewardPeriodStart());
        }

        @Override
        public LedgerState read(CanonicalReader in) {
            int at = in.offset();
            int version = in.u8("state.version");
            if (version != VERSION && version != VERSION_WITHOUT_SNAPSHOTS) {
                throw new CodecException("state.version", at, "unsupported state version " + version);
            }
            return ValueCodecs.construct("state", at, () -> LedgerState.of(params(in),
                    byId(in, "policies", r -> ValueCodecs.pricingPolicy(r), PricingPolicy::id),
                    accounts(in),
                    byId(in, "twins", StateCodec::twin, Twin::id),
                    byId(in, "farms", StateCodec::farm, Farm::id),
                    byId(in, "nodes", StateCodec::node, Node::id),
                    byId(in, "contracts", StateCodec::contract, Contract::id),
                    byId(in, "proposals", StateCodec::proposal, Proposal::id),
                    version == VERSION_WITHOUT_SNAPSHOTS ? Map.of() : snapshots(in),
                    new Supply(in.nonNegative("minted"), in.nonNegative("burned")),
                    in.nonNegative("rewardPeriodStart")));
        }
    };

    static void params(CanonicalWriter out, ChainParameters p) {
        out.string(p.chainId(), ChainParameters.MAX_CHAIN_ID).int64(p.billingPeriodSeconds()).int64(p.gracePeriodSeconds())
                .int64(p.uptimeWindowSeconds()).int64(p.challengeDeadlineBlocks()).int64(p.rewardPeriodSeconds())
                .int32(p.minUptimePermille()).int64(p.rewardPerWeightPerPeriod()).u8(p.farmerSharePercent())
                .int64(p.faucetLimit()).int64(p.maxProposalSeconds())
                .list(p.discountLevels(), ChainParameters.MAX_DISCOUNT_LEVELS, (w, d) ->
                        w.string(d.name(), DiscountLevel.MAX_NAME).int32(d.monthsTenths()).u8(d.percentPaid()))
                .list(p.validators(), ChainParameters.MAX_VALIDATORS, ValueCodecs::key);
    }

    static ChainParameters params(CanonicalReader in) {
        return new ChainParameters(in.string("chainId", ChainParameters.MAX_CHAIN_ID), in.int64("billingPeriod"),
                in.int64("gracePeriod"), in.int64("uptimeWindow"), in.int64("challengeDeadline"),
                in.int64("rewardPeriod"), in.int32("minUptimePermille"), in.int64("rewardPerWeight"),
                in.u8("farmerShare"), in.int64("faucetLimit"), in.int64("maxProposal"),
                in.list("discountLevels", ChainParameters.MAX_DISCOUNT_LEVELS, r -> new DiscountLevel(
                        r.string("discount.name", DiscountLevel.MAX_NAME), r.int32("discount.monthsTenths"),
                        r.u8("discount.percentPaid"))),
                in.sortedList("validators", ChainParameters.MAX_VALIDATORS, Comparator.naturalOrder(),
                        r -> ValueCodecs.key(r, "validator")));
    }

    static void account(CanonicalWriter out, Account a) {
        out.int64(a.balance()).int64(a.nonce());
    }

    /** The supply counters, then the start of the reward period. */
    static void supply(CanonicalWriter out, Supply supply, long rewardPeriodStart) {
        out.int64(supply.minted()).int64(supply.burned()).int64(rewardPeriodStart);
    }

    static void twin(CanonicalWriter out, Twin t) {
        out.int64(t.id());
        ValueCodecs.key(out, t.account());
        out.optional(t.endpoint(), (w, e) -> w.string(e, Twin.MAX_ENDPOINT));
    }

    static Twin twin(CanonicalReader in) {
        return new Twin(in.nonNegative("twin.id"), ValueCodecs.key(in, "twin.account"),
                in.optional("twin.endpoint", r -> r.string("twin.endpoint", Twin.MAX_ENDPOINT)));
    }

    static void farm(CanonicalWriter out, Farm f) {
        out.int64(f.id()).string(f.name(), Farm.MAX_NAME).int64(f.ownerTwin()).int64(f.pricingPolicyId())
                .list(f.publicIps(), Farm.MAX_IPS, (w, ip) -> w.string(ip.ip(), PublicIp.MAX_TEXT)
                        .string(ip.gateway(), PublicIp.MAX_TEXT).int64(ip.contractId()));
    }

    static Farm farm(CanonicalReader in) {
        return new Farm(in.nonNegative("farm.id"), in.string("farm.name", Farm.MAX_NAME), in.nonNegative("farm.owner"),
                in.nonNegative("farm.policy"), in.list("farm.ips", Farm.MAX_IPS, r -> new PublicIp(
                        r.string("ip", PublicIp.MAX_TEXT), r.string("gateway", PublicIp.MAX_TEXT), r.nonNegative("ip.contract"))));
    }

    static void node(CanonicalWriter out, Node n) {
        out.int64(n.id()).int64(n.farmId()).int64(n.twinId());
        ValueCodecs.resources(out, n.capacity());
        ValueCodecs.resources(out, n.reserved());
        ValueCodecs.location(out, n.location());
        out.string(n.endpoint(), Node.MAX_ENDPOINT).int64(n.registeredAt()).int64(n.rentContract())
                .list(n.attestedWindows(), MANY, CanonicalWriter::int64);
    }

    static Node node(CanonicalReader in) {
        return new Node(in.nonNegative("node.id"), in.nonNegative("node.farm"), in.nonNegative("node.twin"),
                ValueCodecs.resources(in, "node.capacity"), ValueCodecs.resources(in, "node.reserved"),
                ValueCodecs.location(in), in.string("node.endpoint", Node.MAX_ENDPOINT), in.nonNegative("node.registeredAt"),
                in.nonNegative("node.rentContract"),
                in.sortedList("node.windows", MANY, Comparator.naturalOrder(), r -> r.nonNegative("window")));
    }

    static void contract(CanonicalWriter out, Contract c) {
        out.int64(c.id()).int64(c.twinId());
        switch (c.kind()) {
            case NodeContract n -> {
                out.u8(0x01).int64(n.nodeId());
                ValueCodecs.hash(out, n.deploymentHash());
                ValueCodecs.resources(out, n.requested());
                out.list(n.publicIps(), Farm.MAX_IPS, (w, ip) -> w.string(ip, PublicIp.MAX_TEXT));
                ValueCodecs.resources(out, n.used());
                out.int64(n.unbilledNuBytes());
            }
            case NameContract n -> out.u8(0x02).string(n.name(), NameContract.MAX_NAME);
            case RentContract r -> out.u8(0x03).int64(r.nodeId());
        }
        switch (c.state()) {
            case ContractState.Created created -> out.u8(0x01);
            case ContractState.GracePeriod g -> out.u8(0x02).int64(g.since()).int64(g.unpaid());
            case ContractState.Deleted d -> out.u8(0x03).u8(d.reason().ordinal());
        }
        out.int64(c.createdAt()).int64(c.billedUntil());
    }

    static Contract contract(CanonicalReader in) {
        long id = in.nonNegative("contract.id");
        long twin = in.nonNegative("contract.twin");
        int kindAt = in.offset();
        ContractKind kind = switch (in.u8("contract.kind")) {
            case 0x01 -> new NodeContract(in.nonNegative("contract.node"), ValueCodecs.hash(in, "contract.hash"),
                    ValueCodecs.resources(in, "contract.requested"),
                    in.list("contract.ips", Farm.MAX_IPS, r -> r.string("ip", PublicIp.MAX_TEXT)),
                    ValueCodecs.resources(in, "contract.used"), in.nonNegative("contract.nuBytes"));
            case 0x02 -> new NameContract(in.string("contract.name", NameContract.MAX_NAME));
            case 0x03 -> new RentContract(in.nonNegative("contract.node"));
            default -> throw new CodecException("contract.kind", kindAt, "unknown contract kind");
        };
        int stateAt = in.offset();
        ContractState state = switch (in.u8("contract.state")) {
            case 0x01 -> ContractState.CREATED;
            case 0x02 -> new ContractState.GracePeriod(in.nonNegative("grace.since"), in.nonNegative("grace.unpaid"));
            case 0x03 -> {
                int reasonAt = in.offset();
                int reason = in.u8("deleted.reason");
                if (reason >= ContractState.DeletionReason.values().length) {
                    throw new CodecException("deleted.reason", reasonAt, "unknown deletion reason " + reason);
                }
                yield new ContractState.Deleted(ContractState.DeletionReason.values()[reason]);
            }
            default -> throw new CodecException("contract.state", stateAt, "unknown contract state");
        };
        return new Contract(id, twin, kind, state, in.nonNegative("contract.createdAt"), in.nonNegative("contract.billedUntil"));
    }

    static void proposal(CanonicalWriter out, Proposal p) {
        out.int64(p.id());
        ValueCodecs.key(out, p.proposer());
        TransactionCodec.writeAction(out, p.action());
        out.int32(p.farmQuorum()).int64(p.deadline());
        map(out, p.councilVotes(), CanonicalWriter::bool, ValueCodecs::key);
        map(out, p.farmVotes(), (w, v) -> w.bool(v.approve()).int64(v.weight()), CanonicalWriter::int64);
        out.u8(p.status().ordinal());
    }

    static Proposal proposal(CanonicalReader in) {
        long id = in.nonNegative("proposal.id");
        Ed25519PublicKey proposer = ValueCodecs.key(in, "proposal.proposer");
        ProposalAction action = TransactionCodec.readAction(in);
        int quorum = in.int32("proposal.quorum");
        long deadline = in.nonNegative("proposal.deadline");
        TreeMap<Ed25519PublicKey, Boolean> council = new TreeMap<>();
        in.sortedList("proposal.council", ChainParameters.MAX_VALIDATORS, Comparator.comparing(Map.Entry::getKey),
                r -> Map.entry(ValueCodecs.key(r, "voter"), r.bool("approve"))).forEach(e -> council.put(e.getKey(), e.getValue()));
        TreeMap<Long, Proposal.FarmVote> farms = new TreeMap<>();
        in.sortedList("proposal.farms", MANY, Comparator.comparing(Map.Entry::getKey),
                r -> Map.entry(r.nonNegative("farm"), new Proposal.FarmVote(r.bool("approve"), r.nonNegative("weight"))))
                .forEach(e -> farms.put(e.getKey(), e.getValue()));
        int statusAt = in.offset();
        int status = in.u8("proposal.status");
        if (status >= Proposal.Status.values().length) {
            throw new CodecException("proposal.status", statusAt, "unknown status " + status);
        }
        return new Proposal(id, proposer, action, quorum, deadline, council, farms, Proposal.Status.values()[status]);
    }

    static void snapshot(CanonicalWriter out, Snapshot s) {
        out.string(s.name(), Snapshot.MAX_NAME).int64(s.publisherTwin()).list(s.versions(), Snapshot.MAX_VERSIONS, (w, v) -> {
            w.int64(v.version());
            ValueCodecs.hash(w, v.manifestHash());
            w.int64(v.sizeBytes()).optional(v.sourceChain(), (c, chain) -> c.string(chain, ChainParameters.MAX_CHAIN_ID))
                    .optional(v.sourceHeight(), CanonicalWriter::int64).int64(v.publishedAtHeight()).int64(v.publishedAt());
        });
    }

    static Snapshot snapshot(CanonicalReader in) {
        return new Snapshot(in.string("snapshot.name", Snapshot.MAX_NAME), in.nonNegative("snapshot.publisher"),
                in.sortedList("snapshot.versions", Snapshot.MAX_VERSIONS, Comparator.comparingLong(Snapshot.Version::version),
                        r -> new Snapshot.Version(r.nonNegative("version"), ValueCodecs.hash(r, "version.manifestHash"),
                                r.nonNegative("version.sizeBytes"),
                                r.optional("version.sourceChain", c -> c.string("version.sourceChain", ChainParameters.MAX_CHAIN_ID)),
                                r.optional("version.sourceHeight", c -> c.nonNegative("version.sourceHeight")),
                                r.nonNegative("version.publishedAtHeight"), r.nonNegative("version.publishedAt"))));
    }

    private static NavigableMap<String, Snapshot> snapshots(CanonicalReader in) {
        TreeMap<String, Snapshot> out = new TreeMap<>();
        in.sortedList("snapshots", MANY, Comparator.comparing(Snapshot::name), StateCodec::snapshot)
                .forEach(s -> out.put(s.name(), s));
        return out;
    }

    private static NavigableMap<Ed25519PublicKey, Account> accounts(CanonicalReader in) {
        TreeMap<Ed25519PublicKey, Account> out = new TreeMap<>();
        in.sortedList("accounts", MANY, Comparator.comparing(Map.Entry::getKey),
                r -> Map.entry(ValueCodecs.key(r, "account.key"),
                        new Account(r.nonNegative("account.balance"), r.nonNegative("account.nonce"))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static <V> NavigableMap<Long, V> byId(CanonicalReader in, String field, Function<CanonicalReader, V> element,
                                                  Function<V, Long> id) {
        TreeMap<Long, V> out = new TreeMap<>();
        in.sortedList(field, MANY, Comparator.comparing(id), element).forEach(v -> out.put(id.apply(v), v));
        return out;
    }

    /** Maps keyed by the value's own id: the id is written by the value itself. */
    private static <V> void map(CanonicalWriter out, NavigableMap<Long, V> map, BiConsumer<CanonicalWriter, V> value) {
        out.list(List.copyOf(map.values()), MANY, value);
    }

    private static <K, V> void map(CanonicalWriter out, NavigableMap<K, V> map, BiConsumer<CanonicalWriter, V> value,
                                   BiConsumer<CanonicalWriter, K> key) {
        out.list(List.copyOf(map.entrySet()), MANY, (w, e) -> {
            key.accept(w, e.getKey());
            value.accept(w, e.getValue());
        });
    }
}
