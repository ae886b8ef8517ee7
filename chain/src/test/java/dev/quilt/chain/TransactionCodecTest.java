package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.GIB;
import static dev.quilt.chain.TestGrid.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.chain.Transaction.*;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden vectors: the encoding of every transaction type is fixed byte for byte. */
class TransactionCodecTest {
    static final Location GHENT = new Location("BE", "Ghent");
    static final Resources BIG = new Resources(8, 32 * GIB, 1000 * GIB, 4000 * GIB);

    static Map<String, Transaction> expected() {
        Map<String, Transaction> m = new LinkedHashMap<>();
        m.put("Transfer", new Transfer(key(2).publicKey(), 1000));
        m.put("Faucet", new Faucet(500));
        m.put("CreateTwin", new CreateTwin(Optional.of("relay.example")));
        m.put("UpdateTwin", new UpdateTwin(Optional.empty()));
        m.put("CreateFarm", new CreateFarm("farm-one"));
        m.put("SetFarmPricing", new SetFarmPricing(1, 2));
        m.put("AddFarmIp", new AddFarmIp(1, "185.0.0.10/24", "185.0.0.1"));
        m.put("RegisterNode", new RegisterNode(1, BIG, GHENT, "node.example:9000"));
        m.put("UpdateNode", new UpdateNode(1, BIG, new Location("BE", "Gent"), "node.example:9001"));
        m.put("CreateNodeContract", new CreateNodeContract(1, sha("deployment"), new Resources(2, 4 * GIB, 100 * GIB, 0), 1));
        m.put("UpdateNodeContract", new UpdateNodeContract(7, sha("deployment v2"), new Resources(4, 8 * GIB, 100 * GIB, 0)));
        m.put("CancelContract", new CancelContract(7));
        m.put("CreateNameContract", new CreateNameContract("my-node"));
        m.put("CreateRentContract", new CreateRentContract(1));
        m.put("ReportUsage", new ReportUsage(7, new Resources(2, 4 * GIB, 50 * GIB, 0), 1_048_576));
        m.put("AttestUptime", new AttestUptime(1, 41, sha("block 41")));
        m.put("ProposeSetPricingPolicy", new Propose(new ProposalAction.SetPricingPolicy(
                new PricingPolicy(2, "cheap", 50_000, 25_000, 10_000, 20_000, 1_000, 50)), 3, 604_800));
        m.put("ProposeSetValidators", new Propose(new ProposalAction.SetValidators(
                List.of(key(202).publicKey(), key(201).publicKey())), 0, 86_400));
        m.put("ProposeSetBillingPeriod", new Propose(new ProposalAction.SetBillingPeriod(7200), 1, 3600));
        m.put("ProposeSetGracePeriod", new Propose(new ProposalAction.SetGracePeriod(86_400), 1, 3600));
        m.put("VoteAsFarm", new Vote(1, Optional.of(1L), true));
        m.put("VoteAsCouncil", new Vote(1, Optional.empty(), false));
        m.put("PublishSnapshot", new PublishSnapshot("media-2026", sha("manifest"), 1L << 30, Optional.empty(),
                Optional.empty()));
        m.put("PublishChainSnapshot", new PublishSnapshot("quilt-main.state", sha("chain state"), 50L << 20,
                Optional.of("quilt-main"), Optional.of(1234L)));
        return m;
    }

    static dev.quilt.common.crypto.Hash256 sha(String s) {
        return Sha256.digest(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyPayloadMatchesItsGoldenVector() {
        Map<String, byte[]> vectors = GoldenVectors.sections("transactions-v1.hex");
        Map<String, Transaction> expected = expected();
        assertThat(vectors.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, tx) -> {
            assertThat(HexFormat.of().formatHex(TransactionCodec.PAYLOAD.encode(tx))).as(name)
                    .isEqualTo(HexFormat.of().formatHex(vectors.get(name)));
            assertThat(TransactionCodec.PAYLOAD.decode(vectors.get(name))).as(name).isEqualTo(tx);
        });
    }

    @Test
    void everyTransactionTypeHasAVector() {
        var covered = expected().values().stream().map(Object::getClass).distinct().count();
        assertThat(covered).isEqualTo(Transaction.class.getPermittedSubclasses().length);
    }

    @Test
    void signedTransferMatchesItsGoldenVectorAndVerifies() {
        SignedTransaction tx = SignedTransaction.sign(key(3), "quilt-test", 5, 100, new Transfer(key(2).publicKey(), 1000));
        byte[] vector = GoldenVectors.bytes("signed-transfer-v1.hex");
        assertThat(HexFormat.of().formatHex(tx.encode())).isEqualTo(HexFormat.of().formatHex(vector));
        SignedTransaction decoded = SignedTransaction.decode(vector);
        assertThat(decoded).isEqualTo(tx);
        assertThat(decoded.verify("quilt-test")).isTrue();
        assertThat(decoded.verify("quilt-main")).isFalse();
    }

    @Test
    void signingBytesAreTheDomainTheChainAndTheUnsignedEnvelope() {
        SignedTransaction tx = SignedTransaction.sign(key(3), "quilt-test", 5, 100, new Transfer(key(2).publicKey(), 1000));
        byte[] encoded = tx.encode();
        byte[] unsigned = Arrays.copyOf(encoded, encoded.length - 64);
        String prefix = "00000014" + HexFormat.of().formatHex("quilt/transaction/v1".getBytes(StandardCharsets.US_ASCII))
                + "0000000a" + HexFormat.of().formatHex("quilt-test".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(tx.signingBytes("quilt-test"))).isEqualTo(prefix + HexFormat.of().formatHex(unsigned));
    }

    @Test
    void rejectsUnknownTagsVersionsAndTrailingBytes() {
        assertThatThrownBy(() -> TransactionCodec.PAYLOAD.decode(new byte[] {0x14}))
                .isInstanceOf(CodecException.class).hasMessage("payload.tag at offset 0: unknown transaction type 20");
        byte[] vector = GoldenVectors.bytes("signed-transfer-v1.hex");
        byte[] badVersion = vector.clone();
        badVersion[0] = 2;
        assertThatThrownBy(() -> SignedTransaction.decode(badVersion))
                .hasMessage("version at offset 0: unsupported transaction version 2");
        byte[] trailing = Arrays.copyOf(vector, vector.length + 1);
        assertThatThrownBy(() -> SignedTransaction.decode(trailing)).hasMessage("end at offset 154: 1 trailing bytes");
        assertThatThrownBy(() -> SignedTransaction.decode(Arrays.copyOf(vector, 100)))
                .hasMessage("signature at offset 90: truncated: need 64 bytes, 10 left");
    }

    @Test
    void rejectsANegativeAmountAndAnInvalidPolicy() {
        byte[] transfer = GoldenVectors.sections("transactions-v1.hex").get("Transfer");
        transfer[33] = (byte) 0x80;
        assertThatThrownBy(() -> TransactionCodec.PAYLOAD.decode(transfer))
                .hasMessageStartingWith("amount at offset 33: negative value");
        byte[] policy = GoldenVectors.sections("transactions-v1.hex").get("ProposeSetPricingPolicy");
        policy[9] = 0; // policy id 2 → 0
        assertThatThrownBy(() -> TransactionCodec.PAYLOAD.decode(policy))
                .isInstanceOf(CodecException.class).hasMessage("policy at offset 2: pricing policy id must be positive: 0");
    }
}
