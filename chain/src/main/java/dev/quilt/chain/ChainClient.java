package dev.quilt.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * A client of {@link ChainHttpApi}. It only transports: nothing it returns is trusted by itself.
 * Headers come with their signatures and entries with their Merkle proofs, so a caller that must
 * not trust the server checks them with a {@link LightClient}.
 *
 * <p>Thread-safe. Every call blocks (use it from virtual threads). Network trouble and answers
 * that are not the API's JSON throw {@link IOException}; an answer with an error status throws
 * {@link ApiException}, which carries the status and the server's reason.
 */
public final class ChainClient {
    private static final Duration POLL = Duration.ofMillis(100);

    /** The server refused the request: {@code status} is 4xx or 5xx, {@code getMessage()} its reason. */
    public static final class ApiException extends IOException {
        private final int status;

        ApiException(int status, String reason) {
            super(reason);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** What a signer needs: the chain id and the head height. */
    public record Status(String chainId, long height) {}

    /** Where a transaction landed; {@code refusal} is empty when the ledger accepted it. */
    public record Receipt(Hash256 hash, long height, int position, boolean isFinal, Optional<String> refusal) {}

    /** An entry (or its absence) with its proof under the state root of the block at {@code height}. */
    public record ProvenEntry(long height, Hash256 blockHash, byte[] key, Optional<byte[]> value, MerkleProof proof) {}

    /**
     * A contract as listed by {@code /v1/contracts}: {@code kind} is {@code node}, {@code name} or
     * {@code rent}; {@code state} is {@code created}, {@code grace} or {@code deleted}; a node
     * contract has its node, requested resources and deployment hash, a rent contract its node.
     */
    public record ContractSummary(long id, long twinId, String kind, OptionalLong nodeId, String state,
                                  Optional<Resources> resources, Optional<Hash256> deploymentHash, Optional<String> name) {}

    /**
     * A block as a server serves it, for a follower to check: the header with the signatures the
     * server holds, the transactions' canonical bytes decoded, and the recent certified blocks
     * (height → header hash) the block says it was built with.
     */
    public record ServedBlock(CertifiedHeader certified, List<SignedTransaction> transactions,
                              NavigableMap<Long, Hash256> challenges) {}

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** {@code url}: the API's base, e.g. {@code http://127.0.0.1:8545}. */
    public ChainClient(URI url) {
        String s = url.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("chain API: " + url + " (expected: an http URL such as http://127.0.0.1:8545)");
        }
    }

    public URI base() {
        return base;
    }

    public Status status() throws IOException {
        JsonNode s = get("v1/status");
        return new Status(s.get("chainId").asText(), s.get("height").asLong());
    }

    public Account account(Ed25519PublicKey key) throws IOException {
        JsonNode a = get("v1/accounts/" + key.hex());
        return new Account(a.get("balance").asLong(), a.get("nonce").asLong());
    }

    /** The id of the twin of {@code key}, or empty when the key has none yet. */
    public OptionalLong twinOf(Ed25519PublicKey key) throws IOException {
        JsonNode twins = get("v1/twins?account=" + key.hex());
        return twins.isEmpty() ? OptionalLong.empty() : OptionalLong.of(twins.get(0).get("id").asLong());
    }

    /** The id of the farm called {@code name}, or empty when there is none. */
    public OptionalLong farmNamed(String name) throws IOException {
        JsonNode farms = get("v1/farms?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return farms.isEmpty() ? OptionalLong.empty() : OptionalLong.of(farms.get(0).get("id").asLong());
    }

    /** Contracts matching every given filter; {@code state} is created, grace or deleted. */
    public List<ContractSummary> contracts(OptionalLong twin, OptionalLong node, Optional<String> state) throws IOException {
        List<String> query = new ArrayList<>();
        twin.ifPresent(t -> query.add("twin=" + t));
        node.ifPresent(n -> query.add("node=" + n));
        state.ifPresent(s -> query.add("state=" + URLEncoder.encode(s, StandardCharsets.UTF_8)));
        List<ContractSummary> out = new ArrayList<>();
        for (JsonNode c : get("v1/contracts" + (query.isEmpty() ? "" : "?" + String.join("&", query)))) {
            JsonNode kind = c.get("kind");
            String type = kind.get("type").asText();
            JsonNode requested = kind.get("requested");
            out.add(new ContractSummary(c.get("id").asLong(), c.get("twinId").asLong(),
                    switch (type) {
                        case "NodeContract" -> "node";
                        case "RentContract" -> "rent";
                        case "NameContract" -> "name";
                        default -> type;
                    },
                    kind.hasNonNull("nodeId") ? OptionalLong.of(kind.get("nodeId").asLong()) : OptionalLong.empty(),
                    switch (c.get("state").get("type").asText()) {
                        case "Created" -> "created";
                        case "GracePeriod" -> "grace";
                        case "Deleted" -> "deleted";
                        default -> c.get("state").get("type").asText();
                    },
                    requested == null || requested.isNull() ? Optional.empty()
                            : Optional.of(new Resources(requested.get("cru").asLong(), requested.get("mru").asLong(),
                                    requested.get("sru").asLong(), requested.get("hru").asLong())),
                    kind.hasNonNull("deploymentHash") ? Optional.of(hash(kind, "deploymentHash")) : Optional.empty(),
                    kind.hasNonNull("name") ? Optional.of(kind.get("name").asText()) : Optional.empty()));
        }
        return out;
    }

    /** Every pricing policy on the ledger ({@code /v1/pricing-policies}), by id. */
    public NavigableMap<Long, PricingPolicy> pricingPolicies() throws IOException {
        NavigableMap<Long, PricingPolicy> out = new TreeMap<>();
        for (JsonNode p : get("v1/pricing-policies")) {
            PricingPolicy policy = policy(p);
            out.put(policy.id(), policy);
        }
        return out;
    }

    /** The pricing policy {@code id}, or empty when the ledger has none of that id. */
    public Optional<PricingPolicy> pricingPolicy(long id) throws IOException {
        return getIfFound("v1/pricing-policies/" + id).map(ChainClient::policy);
    }

    /** The chain's parameters as they are at the head ({@code /v1/parameters}): governance may change some. */
    public ChainParameters parameters() throws IOException {
        JsonNode p = get("v1/parameters");
        List<DiscountLevel> discounts = new ArrayList<>();
        p.get("discountLevels").forEach(d -> discounts.add(new DiscountLevel(d.get("name").asText(), d.get("monthsTenths").asInt(),
                d.get("percentPaid").asInt())));
        List<Ed25519PublicKey> validators = new ArrayList<>();
        p.get("validators").forEach(v -> validators.add(Ed25519PublicKey.fromHex(v.asText())));
        return new ChainParameters(p.get("chainId").asText(), p.get("billingPeriodSeconds").asLong(),
                p.get("gracePeriodSeconds").asLong(), p.get("uptimeWindowSeconds").asLong(), p.get("challengeDeadlineBlocks").asLong(),
                p.get("rewardPeriodSeconds").asLong(), p.get("minUptimePermille").asInt(), p.get("rewardPerWeightPerPeriod").asLong(),
                p.get("farmerSharePercent").asInt(), p.get("faucetLimit").asLong(), p.get("maxProposalSeconds").asLong(), discounts,
                validators);
    }

    private static PricingPolicy policy(JsonNode p) {
        return new PricingPolicy(p.get("id").asLong(), p.get("name").asText(), p.get("cuPerHour").asLong(), p.get("suPerHour").asLong(),
                p.get("nuPerGib").asLong(), p.get("ipv4PerHour").asLong(), p.get("uniqueNamePerHour").asLong(),
                p.get("dedicatedPercentPaid").asInt());
    }

    /**
     * Snapshot records matching every given filter ({@code /v1/snapshots}); not proven: use
     * {@link #snapshotProof} where the answer must be believed.
     */
    public List<Snapshot> snapshots(Optional<String> name, OptionalLong publisherTwin) throws IOException {
        List<String> query = new ArrayList<>();
        name.ifPresent(n -> query.add("name=" + URLEncoder.encode(n, StandardCharsets.UTF_8)));
        publisherTwin.ifPresent(t -> query.add("publisher=" + t));
        List<Snapshot> out = new ArrayList<>();
        for (JsonNode s : get("v1/snapshots" + (query.isEmpty() ? "" : "?" + String.join("&", query)))) {
            List<Snapshot.Version> versions = new ArrayList<>();
            for (JsonNode v : s.get("versions")) {
                versions.add(new Snapshot.Version(v.get("version").asLong(), hash(v, "manifestHash"), v.get("sizeBytes").asLong(),
                        v.hasNonNull("sourceChain") ? Optional.of(v.get("sourceChain").asText()) : Optional.empty(),
                        v.hasNonNull("sourceHeight") ? Optional.of(v.get("sourceHeight").asLong()) : Optional.empty(),
                        v.get("publishedAtHeight").asLong(), v.get("publishedAt").asLong()));
            }
            out.add(new Snapshot(s.get("name").asText(), s.get("publisherTwin").asLong(), versions));
        }
        return out;
    }

    /** The snapshot record called {@code name}, or empty when there is none; not proven (see {@link #snapshotProof}). */
    public Optional<Snapshot> snapshot(String name) throws IOException {
        return snapshots(Optional.of(name), OptionalLong.empty()).stream().findFirst();
    }

    /**
     * The snapshot record called {@code name} (or its absence) with its Merkle proof: a
     * {@link LightClient} checks it against a final header ({@code verifyEntry} or
     * {@code verifyAbsence}), then {@link Snapshot#decodeEntry} reads the value.
     */
    public ProvenEntry snapshotProof(String name) throws IOException {
        return proof(StateKeys.snapshot(name));
    }

    /** Tries of a submission the node answers busy (503) before its refusal is the caller's. */
    static final int SUBMIT_TRIES = 5;

    /**
     * Submits a signed transaction; the answer means it passed the envelope checks and is queued. A node
     * with too much waiting for its log answers 503; the submission is tried again after a pause that
     * doubles from 100 ms, {@link #SUBMIT_TRIES} times in all, before that refusal is thrown.
     */
    public Hash256 submit(SignedTransaction tx) throws IOException {
        String body = "{\"hex\":\"" + HexFormat.of().formatHex(tx.encode()) + "\"}";
        for (int attempt = 1; ; attempt++) {
            try {
                return Hash256.fromHex(post("v1/transactions", body).get("hash").asText());
            } catch (ApiException e) {
                if (e.status() != 503 || attempt == SUBMIT_TRIES) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100L << (attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting to submit again to " + base);
            }
        }
    }

    /** The receipt, or empty while the transaction is not in a committed block. */
    public Optional<Receipt> receipt(Hash256 hash) throws IOException {
        Optional<JsonNode> found = getIfFound("v1/transactions/" + hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JsonNode r = found.get();
        JsonNode outcome = r.get("outcome");
        return Optional.of(new Receipt(hash, r.get("height").asLong(), r.get("position").asInt(), r.get("final").asBoolean(),
                outcome.hasNonNull("reason") ? Optional.of(outcome.get("reason").asText()) : Optional.empty()));
    }

    /** Polls until the transaction is in a final block, or throws {@link IOException} after {@code timeout}. */
    public Receipt awaitFinal(Hash256 hash, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Receipt> r = receipt(hash);
            if (r.isPresent() && r.get().isFinal()) {
                return r.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("transaction " + hash + " is not final after " + timeout.toSeconds() + " s"
                        + r.map(x -> " (in block " + x.height() + ")").orElse(" (not in a block)"));
            }
            Thread.sleep(POLL);
        }
    }

    /** The header at {@code height} with the signatures the server holds; empty when not committed. */
    public Optional<CertifiedHeader> certified(long height) throws IOException {
        return getIfFound("v1/blocks/" + height).map(ChainClient::certified);
    }

    /** The state entry at {@code key} (or its absence) with a proof under the server's head. */
    public ProvenEntry proof(byte[] key) throws IOException {
        JsonNode p = get("v1/proofs/" + HexFormat.of().formatHex(key));
        List<Hash256> siblings = new ArrayList<>();
        p.get("proof").get("siblings").forEach(s -> siblings.add(Hash256.fromHex(s.asText())));
        JsonNode leaf = p.get("proof").get("leaf");
        Optional<MerkleProof.Leaf> l = leaf == null || leaf.isNull() ? Optional.empty()
                : Optional.of(new MerkleProof.Leaf(Hash256.fromHex(leaf.get("keyHash").asText()),
                        Hash256.fromHex(leaf.get("valueHash").asText())));
        JsonNode value = p.get("value");
        return new ProvenEntry(p.get("height").asLong(), Hash256.fromHex(p.get("blockHash").asText()), key.clone(),
                value == null || value.isNull() ? Optional.empty() : Optional.of(HexFormat.of().parseHex(value.asText())),
                new MerkleProof(siblings, l));
    }

    /**
     * The block at {@code height} as served, empty when not committed there. Transactions whose
     * bytes do not decode fail with {@link dev.quilt.common.codec.CodecException}.
     */
    public Optional<ServedBlock> servedBlock(long height) throws IOException {
        return getIfFound("v1/blocks/" + height).map(ChainClient::served);
    }

    /**
     * Reads the stream of final blocks from {@code from} on and hands each certified header to
     * {@code sink} until it returns false or the stream ends. Blocks the calling thread.
     */
    public void stream(long from, StreamSink sink) throws IOException, InterruptedException {
        streamJson(from, block -> sink.accept(certified(block)));
    }

    /** Like {@link #stream}, with each block's transactions and challenges, for a follower to check. */
    public void streamBlocks(long from, BlockSink sink) throws IOException, InterruptedException {
        streamJson(from, block -> sink.accept(served(block)));
    }

    /** Receives served blocks from {@link #streamBlocks}; returning false ends the stream. */
    @FunctionalInterface
    public interface BlockSink {
        boolean accept(ServedBlock block) throws IOException;
    }

    private interface JsonSink {
        boolean accept(JsonNode block) throws IOException;
    }

    private void streamJson(long from, JsonSink sink) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("v1/stream?from=" + from)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new ApiException(r.statusCode(), "stream from " + from + ": status " + r.statusCode());
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("data: ") && !sink.accept(json.readTree(line.substring(6)))) {
                    return;
                }
            }
        }
    }

    /** Receives final blocks from {@link #stream}; returning false ends the stream. */
    @FunctionalInterface
    public interface StreamSink {
        boolean accept(CertifiedHeader block) throws IOException;
    }

    /** Polls {@code condition} with the head height until it holds; for callers waiting on the chain. */
    public long awaitHeight(LongPredicate condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long h = status().height();
            if (condition.test(h)) {
                return h;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("chain head " + h + " did not reach the awaited height in " + timeout.toSeconds() + " s");
            }
            Thread.sleep(POLL);
        }
    }

    private static ServedBlock served(JsonNode block) {
        List<SignedTransaction> transactions = new ArrayList<>();
        JsonNode signed = block.get("signedTransactions");
        if (signed != null) {
            signed.forEach(t -> transactions.add(SignedTransaction.decode(HexFormat.of().parseHex(t.asText()))));
        }
        TreeMap<Long, Hash256> challenges = new TreeMap<>();
        JsonNode c = block.get("challenges");
        if (c != null) {
            c.forEach(e -> challenges.put(e.get("height").asLong(), hash(e, "hash")));
        }
        return new ServedBlock(certified(block), transactions, challenges);
    }

    private static CertifiedHeader certified(JsonNode block) {
        JsonNode h = block.get("header");
        BlockHeader header = new BlockHeader(h.get("chainId").asText(), h.get("height").asLong(), h.get("time").asLong(),
                hash(h, "previousHash"), hash(h, "transactionsRoot"), hash(h, "stateRoot"), hash(h, "validatorSetHash"),
                hash(h, "nextValidatorSetHash"));
        List<HeaderSignature> signatures = new ArrayList<>();
        for (JsonNode s : block.get("signatures")) {
            signatures.add(new HeaderSignature(Ed25519PublicKey.fromHex(s.get("validator").asText()),
                    HexFormat.of().parseHex(s.get("signature").asText())));
        }
        return new CertifiedHeader(header, signatures);
    }

    private static Hash256 hash(JsonNode node, String field) {
        return Hash256.fromHex(node.get(field).asText());
    }

    /** The answer, or empty when the API says 404 (not committed yet). */
    private Optional<JsonNode> getIfFound(String path) throws IOException {
        try {
            return Optional.of(get(path));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    private JsonNode post(String path, String body) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode send(HttpRequest request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while calling " + request.uri());
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("the chain API at " + base + " answered " + response.statusCode() + " with no JSON", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ApiException(response.statusCode(), body != null && body.hasNonNull("error")
                    ? body.get("error").asText() : "status " + response.statusCode());
        }
        if (body == null) {
            throw new IOException("the chain API at " + base + " answered " + response.statusCode() + " with an empty body");
        }
        return body;
    }
}
