package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.Transaction.*;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The transaction codec over the whole value space, and over hostile bytes. */
class TransactionCodecPropertyTest {
    static final Arbitrary<Long> NATURAL = Arbitraries.longs().greaterOrEqual(0);
    static final Arbitrary<Ed25519PublicKey> KEY = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Ed25519PublicKey::of);
    static final Arbitrary<Hash256> HASH = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hash256::of);
    static final Arbitrary<Resources> RESOURCES = Combinators.combine(NATURAL, NATURAL, NATURAL, NATURAL).as(Resources::new);
    static final Arbitrary<Location> LOCATION = Combinators.combine(text(2), text(16)).as(Location::new);

    /** Any string, including non-ASCII, short enough in UTF-8 for every limit it is used with. */
    static Arbitrary<String> text(int maxChars) {
        return Arbitraries.strings().ofMaxLength(maxChars);
    }

    @Provide
    Arbitrary<Transaction> transactions() {
        Arbitrary<ProposalAction> action = Arbitraries.oneOf(List.of(
                Combinators.combine(Arbitraries.longs().greaterOrEqual(1), text(16), NATURAL, NATURAL, NATURAL, NATURAL, NATURAL,
                        Arbitraries.integers().between(0, 100)).as((id, n, cu, su, nu, ip, name, pct) ->
                        new ProposalAction.SetPricingPolicy(new PricingPolicy(id, n, cu, su, nu, ip, name, pct))),
                NATURAL.map(ProposalAction.SetBillingPeriod::new),
                NATURAL.map(ProposalAction.SetGracePeriod::new),
                KEY.list().ofMaxSize(5).map(ProposalAction.SetValidators::new)));
        Arbitrary<Integer> count = Arbitraries.integers().greaterOrEqual(0);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(KEY, NATURAL).as(Transfer::new),
                NATURAL.map(Faucet::new),
                text(60).optional().map(CreateTwin::new),
                text(60).optional().map(UpdateTwin::new),
                text(10).map(CreateFarm::new),
                Combinators.combine(NATURAL, NATURAL).as(SetFarmPricing::new),
                Combinators.combine(NATURAL, text(16), text(16)).as(AddFarmIp::new),
                Combinators.combine(NATURAL, RESOURCES, LOCATION, text(60)).as(RegisterNode::new),
                Combinators.combine(NATURAL, RESOURCES, LOCATION, text(60)).as(UpdateNode::new),
                Combinators.combine(NATURAL, HASH, RESOURCES, count).as(CreateNodeContract::new),
                Combinators.combine(NATURAL, HASH, RESOURCES).as(UpdateNodeContract::new),
                NATURAL.map(CancelContract::new),
                text(16).map(CreateNameContract::new),
                NATURAL.map(CreateRentContract::new),
                Combinators.combine(NATURAL, RESOURCES, NATURAL).as(ReportUsage::new),
                Combinators.combine(NATURAL, NATURAL, HASH).as(AttestUptime::new),
                Combinators.combine(action, count, NATURAL).as(Propose::new),
                Combinators.combine(NATURAL, NATURAL.optional(), Arbitraries.of(true, false)).as(Vote::new),
                Combinators.combine(text(16), HASH, NATURAL, text(16).optional(), NATURAL.optional())
                        .as(PublishSnapshot::new)));
    }

    @Property(tries = 1000)
    void payloadDecodeInvertsEncode(@ForAll("transactions") Transaction tx) {
        byte[] bytes = TransactionCodec.PAYLOAD.encode(tx);
        assertThat(TransactionCodec.PAYLOAD.decode(bytes)).isEqualTo(tx);
    }

    @Property(tries = 300)
    void envelopeDecodeInvertsEncode(@ForAll("transactions") Transaction tx, @ForAll @Size(64) byte[] signature) {
        SignedTransaction signed = new SignedTransaction(TestGrid.key(3).publicKey(), 7, 9, tx, signature);
        assertThat(SignedTransaction.decode(signed.encode())).isEqualTo(signed);
    }

    @Property(tries = 3000)
    void randomBytesEitherReEncodeIdenticallyOrFailWithCodecException(@ForAll @Size(max = 200) byte[] input) {
        Transaction decoded;
        try {
            decoded = TransactionCodec.PAYLOAD.decode(input);
        } catch (CodecException expected) {
            return;
        }
        assertThat(TransactionCodec.PAYLOAD.encode(decoded)).isEqualTo(input);
    }

    @Property(tries = 3000)
    void mutatedGoldenVectorsEitherReEncodeIdenticallyOrFailWithCodecException(
            @ForAll("vectorNames") String name, @ForAll int position, @ForAll byte value) {
        byte[] bytes = VECTORS.get(name).clone();
        bytes[Math.floorMod(position, bytes.length)] = value;
        try {
            assertThat(TransactionCodec.PAYLOAD.encode(TransactionCodec.PAYLOAD.decode(bytes))).isEqualTo(bytes);
        } catch (CodecException expected) {
            // the one permitted failure
        }
    }

    static final Map<String, byte[]> VECTORS = GoldenVectors.sections("transactions-v1.hex");

    @Provide
    Arbitrary<String> vectorNames() {
        return Arbitraries.of(VECTORS.keySet());
    }
}
