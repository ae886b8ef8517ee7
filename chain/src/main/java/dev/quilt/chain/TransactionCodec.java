package dev.quilt.chain;

import dev.quilt.chain.Transaction.AddFarmIp;
import dev.quilt.chain.Transaction.AttestUptime;
import dev.quilt.chain.Transaction.CancelContract;
import dev.quilt.chain.Transaction.CreateFarm;
import dev.quilt.chain.Transaction.CreateNameContract;
import dev.quilt.chain.Transaction.CreateNodeContract;
import dev.quilt.chain.Transaction.CreateRentContract;
import dev.quilt.chain.Transaction.CreateTwin;
import dev.quilt.chain.Transaction.Faucet;
import dev.quilt.chain.Transaction.Propose;
import dev.quilt.chain.Transaction.PublishSnapshot;
import dev.quilt.chain.Transaction.RegisterNode;
import dev.quilt.chain.Transaction.ReportUsage;
import dev.quilt.chain.Transaction.SetFarmPricing;
import dev.quilt.chain.Transaction.Transfer;
import dev.quilt.chain.Transaction.UpdateNode;
import dev.quilt.chain.Transaction.UpdateNodeContract;
import dev.quilt.chain.Transaction.UpdateTwin;
import dev.quilt.chain.Transaction.Vote;
import dev.quilt.common.codec.CanonicalCodec;
import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Comparator;

/**
 * Canonical encoding of transactions (rules in {@code dev.quilt.common.codec}).
 *
 * <pre>
 * signed transaction = version u8 (01) | sender 32 | nonce int64 | expiresAtHeight int64 | payload | signature 64
 * payload            = tag u8 | fields of that type, in record order
 * </pre>
 *
 * Tags: 01 Transfer, 02 Faucet, 03 CreateTwin, 04 UpdateTwin, 05 CreateFarm, 06 SetFarmPricing,
 * 07 AddFarmIp, 08 RegisterNode, 09 UpdateNode, 0a CreateNodeContract, 0b UpdateNodeContract,
 * 0c CancelContract, 0d CreateNameContract, 0e CreateRentContract, 0f ReportUsage,
 * 10 AttestUptime, 11 Propose, 12 Vote, 13 PublishSnapshot. Proposal actions: 01 SetPricingPolicy, 02
 * SetBillingPeriod, 03 SetGracePeriod, 04 SetValidators. Amounts, ids, heights and seconds are
 * non-negative int64; an IP count is an int32; strings carry the limits named on their records.
 * Golden vectors: {@code src/test/resources/vectors/*.hex}.
 */
final class TransactionCodec {
    static final int VERSION = 1;

    private TransactionCodec() {}

    static final CanonicalCodec<Transaction> PAYLOAD = new CanonicalCodec<>() {
        @Override
        public void write(Transaction tx, CanonicalWriter out) {
            writePayload(out, tx);
        }

        @Override
        public Transaction read(CanonicalReader in) {
            return readPayload(in);
        }
    };

    static final CanonicalCodec<SignedTransaction> SIGNED = new CanonicalCodec<>() {
        @Override
        public void write(SignedTransaction tx, CanonicalWriter out) {
            writeUnsigned(out, tx.sender(), tx.nonce(), tx.expiresAtHeight(), tx.payload());
            out.fixed(tx.signature(), Ed25519KeyPair.SIGNATURE_LENGTH);
        }

        @Override
        public SignedTransaction read(CanonicalReader in) {
            int at = in.offset();
            int version = in.u8("version");
            if (version != VERSION) {
                throw new CodecException("version", at, "unsupported transaction version " + version);
            }
            Ed25519PublicKey sender = ValueCodecs.key(in, "sender");
            long nonce = in.nonNegative("nonce");
            long expiry = in.nonNegative("expiresAtHeight");
            Transaction payload = readPayload(in);
            byte[] signature = in.fixed("signature", Ed25519KeyPair.SIGNATURE_LENGTH);
            return new SignedTransaction(sender, nonce, expiry, payload, signature);
        }
    };

    static void writeUnsigned(CanonicalWriter out, Ed25519PublicKey sender, long nonce, long expiry, Transaction tx) {
        out.u8(VERSION);
        ValueCodecs.key(out, sender);
        out.int64(nonce).int64(expiry);
        writePayload(out, tx);
    }

    static void writePayload(CanonicalWriter out, Transaction tx) {
        switch (tx) {
            case Transfer t -> {
                out.u8(0x01);
                ValueCodecs.key(out, t.to());
                out.int64(t.amount());
            }
            case Faucet f -> out.u8(0x02).int64(f.amount());
            case CreateTwin c -> out.u8(0x03).optional(c.endpoint(), (w, e) -> w.string(e, Twin.MAX_ENDPOINT));
            case UpdateTwin u -> out.u8(0x04).optional(u.endpoint(), (w, e) -> w.string(e, Twin.MAX_ENDPOINT));
            case CreateFarm c -> out.u8(0x05).string(c.name(), Farm.MAX_NAME);
            case SetFarmPricing s -> out.u8(0x06).int64(s.farmId()).int64(s.pricingPolicyId());
            case AddFarmIp a -> out.u8(0x07).int64(a.farmId()).string(a.ip(), PublicIp.MAX_TEXT)
                    .string(a.gateway(), PublicIp.MAX_TEXT);
            case RegisterNode r -> {
                out.u8(0x08).int64(r.farmId());
                nodeDetails(out, r.capacity(), r.location(), r.endpoint());
            }
            case UpdateNode u -> {
                out.u8(0x09).int64(u.nodeId());
                nodeDetails(out, u.capacity(), u.location(), u.endpoint());
            }
            case CreateNodeContract c -> {
                out.u8(0x0a).int64(c.nodeId());
                ValueCodecs.hash(out, c.deploymentHash());
                ValueCodecs.resources(out, c.resources());
                out.int32(c.publicIps());
            }
            case UpdateNodeContract u -> {
                out.u8(0x0b).int64(u.contractId());
                ValueCodecs.hash(out, u.deploymentHash());
                ValueCodecs.resources(out, u.resources());
            }
            case CancelContract c -> out.u8(0x0c).int64(c.contractId());
            case CreateNameContract c -> out.u8(0x0d).string(c.name(), ContractKind.NameContract.MAX_NAME);
            case CreateRentContract c -> out.u8(0x0e).int64(c.nodeId());
            case ReportUsage r -> {
                out.u8(0x0f).int64(r.contractId());
                ValueCodecs.resources(out, r.used());
                out.int64(r.nuBytes());
            }
            case AttestUptime a -> {
                out.u8(0x10).int64(a.nodeId()).int64(a.challengeHeight());
                ValueCodecs.hash(out, a.challengeHash());
            }
            case Propose p -> {
                out.u8(0x11);
                writeAction(out, p.action());
                out.int32(p.farmQuorum()).int64(p.durationSeconds());
            }
            case PublishSnapshot p -> {
                out.u8(0x13).string(p.name(), Snapshot.MAX_NAME);
                ValueCodecs.hash(out, p.manifestHash());
                out.int64(p.sizeBytes())
                        .optional(p.sourceChain(), (w, c) -> w.string(c, ChainParameters.MAX_CHAIN_ID))
                        .optional(p.sourceHeight(), CanonicalWriter::int64);
            }
            case Vote v -> out.u8(0x12).int64(v.proposalId()).optional(v.farmId(), CanonicalWriter::int64).bool(v.approve());
        }
    }

    static Transaction readPayload(CanonicalReader in) {
        int at = in.offset();
        int tag = in.u8("payload.tag");
        return switch (tag) {
            case 0x01 -> new Transfer(ValueCodecs.key(in, "to"), in.nonNegative("amount"));
            case 0x02 -> new Faucet(in.nonNegative("amount"));
            case 0x03 -> new CreateTwin(in.optional("endpoint", r -> r.string("endpoint", Twin.MAX_ENDPOINT)));
            case 0x04 -> new UpdateTwin(in.optional("endpoint", r -> r.string("endpoint", Twin.MAX_ENDPOINT)));
            case 0x05 -> new CreateFarm(in.string("name", Farm.MAX_NAME));
            case 0x06 -> new SetFarmPricing(in.nonNegative("farmId"), in.nonNegative("pricingPolicyId"));
            case 0x07 -> new AddFarmIp(in.nonNegative("farmId"), in.string("ip", PublicIp.MAX_TEXT),
                    in.string("gateway", PublicIp.MAX_TEXT));
            case 0x08 -> new RegisterNode(in.nonNegative("farmId"), ValueCodecs.resources(in, "capacity"),
                    ValueCodecs.location(in), in.string("endpoint", Node.MAX_ENDPOINT));
            case 0x09 -> new UpdateNode(in.nonNegative("nodeId"), ValueCodecs.resources(in, "capacity"),
                    ValueCodecs.location(in), in.string("endpoint", Node.MAX_ENDPOINT));
            case 0x0a -> new CreateNodeContract(in.nonNegative("nodeId"), ValueCodecs.hash(in, "deploymentHash"),
                    ValueCodecs.resources(in, "resources"), nonNegativeInt(in, "publicIps"));
            case 0x0b -> new UpdateNodeContract(in.nonNegative("contractId"), ValueCodecs.hash(in, "deploymentHash"),
                    ValueCodecs.resources(in, "resources"));
            case 0x0c -> new CancelContract(in.nonNegative("contractId"));
            case 0x0d -> new CreateNameContract(in.string("name", ContractKind.NameContract.MAX_NAME));
            case 0x0e -> new CreateRentContract(in.nonNegative("nodeId"));
            case 0x0f -> new ReportUsage(in.nonNegative("contractId"), ValueCodecs.resources(in, "used"),
                    in.nonNegative("nuBytes"));
            case 0x10 -> new AttestUptime(in.nonNegative("nodeId"), in.nonNegative("challengeHeight"),
                    ValueCodecs.hash(in, "challengeHash"));
            case 0x11 -> new Propose(readAction(in), nonNegativeInt(in, "farmQuorum"), in.nonNegative("durationSeconds"));
            case 0x12 -> new Vote(in.nonNegative("proposalId"), in.optional("farmId", r -> r.nonNegative("farmId")),
                    in.bool("approve"));
            case 0x13 -> new PublishSnapshot(in.string("name", Snapshot.MAX_NAME), ValueCodecs.hash(in, "manifestHash"),
                    in.nonNegative("sizeBytes"),
                    in.optional("sourceChain", r -> r.string("sourceChain", ChainParameters.MAX_CHAIN_ID)),
                    in.optional("sourceHeight", r -> r.nonNegative("sourceHeight")));
            default -> throw new CodecException("payload.tag", at, "unknown transaction type " + tag);
        };
    }

    static void writeAction(CanonicalWriter out, ProposalAction action) {
        switch (action) {
            case ProposalAction.SetPricingPolicy p -> {
                out.u8(0x01);
                ValueCodecs.pricingPolicy(out, p.policy());
            }
            case ProposalAction.SetBillingPeriod b -> out.u8(0x02).int64(b.seconds());
            case ProposalAction.SetGracePeriod g -> out.u8(0x03).int64(g.seconds());
            case ProposalAction.SetValidators v ->
                    out.u8(0x04).list(v.validators(), ChainParameters.MAX_VALIDATORS, ValueCodecs::key);
        }
    }

    static ProposalAction readAction(CanonicalReader in) {
        int at = in.offset();
        int tag = in.u8("action.tag");
        return switch (tag) {
            case 0x01 -> new ProposalAction.SetPricingPolicy(ValueCodecs.pricingPolicy(in));
            case 0x02 -> new ProposalAction.SetBillingPeriod(in.nonNegative("seconds"));
            case 0x03 -> new ProposalAction.SetGracePeriod(in.nonNegative("seconds"));
            case 0x04 -> new ProposalAction.SetValidators(in.sortedList("validators", ChainParameters.MAX_VALIDATORS,
                    Comparator.naturalOrder(), r -> ValueCodecs.key(r, "validator")));
            default -> throw new CodecException("action.tag", at, "unknown proposal action " + tag);
        };
    }

    private static void nodeDetails(CanonicalWriter out, Resources capacity, Location location, String endpoint) {
        ValueCodecs.resources(out, capacity);
        ValueCodecs.location(out, location);
        out.string(endpoint, Node.MAX_ENDPOINT);
    }

    private static int nonNegativeInt(CanonicalReader in, String field) {
        int at = in.offset();
        int v = in.int32(field);
        if (v < 0) {
            throw new CodecException(field, at, "negative value " + v);
        }
        return v;
    }
}
