package dev.quilt.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The chain's HTTP+JSON API on the JDK's HTTP server, one virtual thread per request.
 *
 * <pre>
 * POST /v1/transactions                {"hex": "..."} or {"base64": "..."}: a signed transaction's canonical bytes
 * GET  /v1/transactions/{hash}         its receipt: block height, position, outcome, finality
 * GET  /v1/accounts/{key}              balance and nonce
 * GET  /v1/nodes?farm=&amp;country=&amp;status=up|down&amp;minFreeCru=&amp;minFreeMru=&amp;minFreeSru=&amp;minFreeHru=
 * GET  /v1/contracts?twin=&amp;node=&amp;state=created|grace|deleted
 * GET  /v1/twins?account={key}        twins, or the one twin of an account key
 * GET  /v1/farms?name={name}           farms, or the one farm of that name
 * GET  /v1/snapshots?name=&amp;publisher=  snapshot records; publisher is a twin id or an account key
 * GET  /v1/blocks/{height|latest}      header, transactions with outcomes, signatures, finality
 * GET  /v1/proofs/{stateKey}           the entry (or its absence) with a Merkle proof under the head's state root
 * GET  /v1/stream?from={height}        server-sent events: each final block from that height on
 * GET  /v1/status                      chain id and head height, for clients that sign transactions; a
 *                                      follower adds its upstream, the upstream's height and its lag
 * GET  /v1/pricing-policies[/{id}]     the pricing policies farms sell at (governance sets them), or one of them
 * GET  /v1/parameters                  the chain's parameters: billing, grace and uptime periods, rewards, council
 * </pre>
 * Errors are JSON {@code {"error": "..."}} naming the refused condition, with 400 (bad request or
 * refused transaction), 404 (no such thing) or 405.
 *
 * <p>Thread-safe: it reads immutable views of the node and submits through it.
 */
public final class ChainHttpApi implements AutoCloseable {
    private static final int MAX_BODY = 256 * 1024;

    private final ChainSource node;
    private final HttpServer server;
    private final ObjectMapper json = ChainJson.mapper();

    private ChainHttpApi(ChainSource node, HttpServer server) {
        this.node = node;
        this.server = server;
    }

    public static ChainHttpApi start(ChainNode node, InetSocketAddress address) throws IOException {
        return serve(node, address);
    }

    /** Serves a follower's verified copy of the chain; submissions are forwarded to its upstream. */
    public static ChainHttpApi start(ChainFollower follower, InetSocketAddress address) throws IOException {
        return serve(follower, address);
    }

    /** Serves any source; package-private so tests can serve one that misbehaves on purpose. */
    static ChainHttpApi serve(ChainSource node, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ChainHttpApi api = new ChainHttpApi(node, server);
        server.createContext("/v1/", api::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return api;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** An answer: a status and a JSON body. */
    private record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        static Reply error(int status, String message) {
            return new Reply(status, Map.of("error", message));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            String resource = path.length > 2 ? path[2] : "";
            if (resource.equals("stream") && method.equals("GET")) {
                stream(exchange, query);
                return;
            }
            Reply reply;
            try {
                reply = switch (resource + " " + method + " " + (path.length > 3)) {
                    case "transactions POST false" -> submit(exchange);
                    case "transactions GET true" -> receipt(path[3]);
                    case "accounts GET true" -> account(path[3]);
                    case "nodes GET false" -> nodes(query);
                    case "contracts GET false" -> contracts(query);
                    case "twins GET false" -> twins(query);
                    case "farms GET false" -> farms(query);
                    case "snapshots GET false" -> snapshots(query);
                    case "blocks GET true" -> block(path[3]);
                    case "proofs GET true" -> proof(path[3]);
                    case "status GET false" -> status();
                    case "pricing-policies GET false" -> Reply.ok(node.state().pricingPolicies().values());
                    case "pricing-policies GET true" -> pricingPolicy(path[3]);
                    case "parameters GET false" -> Reply.ok(node.state().params());
                    default -> Reply.error(resource.isEmpty() || !List.of("transactions", "accounts", "nodes", "contracts",
                            "twins", "farms", "snapshots", "blocks", "proofs", "status", "pricing-policies", "parameters")
                            .contains(resource) ? 404 : 405,
                            "no route for " + method + " " + exchange.getRequestURI().getPath());
                };
            } catch (NodeBusyException e) {
                reply = Reply.error(503, e.getMessage());
            } catch (IllegalArgumentException e) {
                reply = Reply.error(400, e.getMessage());
            } catch (java.io.UncheckedIOException e) {
                // A follower could not reach its upstream to forward a submission.
                reply = Reply.error(502, e.getMessage());
            } catch (RuntimeException e) {
                // A bug or a closing node: the client still gets an answer that says what failed.
                reply = Reply.error(500, "internal error: " + e);
            }
            send(exchange, reply);
        }
    }

    private Reply submit(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            return Reply.error(413, "body: more than " + MAX_BODY + " bytes");
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body: not JSON (expected: {\"hex\": ...} or {\"base64\": ...})");
        }
        byte[] bytes;
        if (request != null && request.hasNonNull("hex")) {
            bytes = HexFormat.of().parseHex(request.get("hex").asText());
        } else if (request != null && request.hasNonNull("base64")) {
            bytes = Base64.getDecoder().decode(request.get("base64").asText());
        } else {
            throw new IllegalArgumentException("body: no transaction (expected: {\"hex\": ...} or {\"base64\": ...})");
        }
        SignedTransaction tx;
        try {
            tx = SignedTransaction.decode(bytes);
        } catch (CodecException e) {
            throw new IllegalArgumentException("malformed transaction: " + e.getMessage());
        }
        try {
            node.submit(tx).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException io) {
                throw io;
            }
            if (e.getCause() instanceof NodeBusyException busy) {
                throw busy;
            }
            throw new IllegalArgumentException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        return new Reply(202, Map.of("hash", BlockProducer.hashOf(tx), "status", "queued"));
    }

    private Reply status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("chainId", node.genesis().chainId());
        out.put("height", node.head().height());
        out.putAll(node.statusDetails());
        return Reply.ok(out);
    }

    private Reply pricingPolicy(String id) {
        long wanted = parse("pricing policy id", id);
        PricingPolicy policy = node.state().pricingPolicies().get(wanted);
        return policy != null ? Reply.ok(policy) : Reply.error(404, "no pricing policy " + wanted);
    }

    private Reply receipt(String hex) {
        Hash256 hash = Hash256.fromHex(hex);
        return node.inclusion(hash).map(in -> {
            Block block = node.block(in.height()).orElseThrow();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("hash", hash);
            out.put("height", in.height());
            out.put("position", in.position());
            out.put("outcome", tagged(block.outcomes().get(in.position()), Outcome.class));
            out.put("final", node.isFinal(in.height()));
            return Reply.ok(out);
        }).orElse(Reply.error(404, "transaction " + hex + " is not in a committed block (yet)"));
    }

    private Reply account(String hex) {
        return Reply.ok(node.state().account(Ed25519PublicKey.fromHex(hex)));
    }

    private Reply nodes(Map<String, String> q) {
        LedgerState state = node.state();
        long time = node.head().time();
        long window = state.params().uptimeWindowSeconds();
        Predicate<Node> filter = n -> true;
        if (q.containsKey("farm")) {
            long farm = number(q, "farm");
            filter = filter.and(n -> n.farmId() == farm);
        }
        if (q.containsKey("country")) {
            filter = filter.and(n -> n.location().country().equalsIgnoreCase(q.get("country")));
        }
        if (q.containsKey("status")) {
            boolean up = switch (q.get("status")) {
                case "up" -> true;
                case "down" -> false;
                default -> throw new IllegalArgumentException("status: " + q.get("status") + " (expected: up or down)");
            };
            filter = filter.and(n -> n.isUpAt(time, window) == up);
        }
        for (String r : List.of("Cru", "Mru", "Sru", "Hru")) {
            if (q.containsKey("minFree" + r)) {
                long min = number(q, "minFree" + r);
                filter = filter.and(n -> switch (r) {
                    case "Cru" -> n.free().cru();
                    case "Mru" -> n.free().mru();
                    case "Sru" -> n.free().sru();
                    default -> n.free().hru();
                } >= min);
            }
        }
        return Reply.ok(state.nodes().values().stream().filter(filter).toList());
    }

    private Reply contracts(Map<String, String> q) {
        Predicate<Contract> filter = c -> true;
        if (q.containsKey("twin")) {
            long twin = number(q, "twin");
            filter = filter.and(c -> c.twinId() == twin);
        }
        if (q.containsKey("node")) {
            long nodeId = number(q, "node");
            filter = filter.and(c -> switch (c.kind()) {
                case ContractKind.NodeContract n -> n.nodeId() == nodeId;
                case ContractKind.RentContract r -> r.nodeId() == nodeId;
                case ContractKind.NameContract n -> false;
            });
        }
        if (q.containsKey("state")) {
            String wanted = q.get("state");
            if (!List.of("created", "grace", "deleted").contains(wanted)) {
                throw new IllegalArgumentException("state: " + wanted + " (expected: created, grace or deleted)");
            }
            filter = filter.and(c -> wanted.equals(switch (c.state()) {
                case ContractState.Created created -> "created";
                case ContractState.GracePeriod g -> "grace";
                case ContractState.Deleted d -> "deleted";
            }));
        }
        return Reply.ok(node.state().contracts().values().stream().filter(filter).toList());
    }

    // Signers need an account's twin id (to know whether to create one) and a farm's id by name; both
    // tables are scanned, like the ledger's own lookups, since no secondary index is kept.
    private Reply twins(Map<String, String> q) {
        Predicate<Twin> filter = t -> true;
        if (q.containsKey("account")) {
            Ed25519PublicKey account = Ed25519PublicKey.fromHex(q.get("account"));
            filter = t -> t.account().equals(account);
        }
        return Reply.ok(node.state().twins().values().stream().filter(filter).toList());
    }

    private Reply farms(Map<String, String> q) {
        Predicate<Farm> filter = f -> true;
        if (q.containsKey("name")) {
            String name = q.get("name");
            filter = f -> f.name().equals(name);
        }
        return Reply.ok(node.state().farms().values().stream().filter(filter).toList());
    }

    private Reply snapshots(Map<String, String> q) {
        LedgerState state = node.state();
        Predicate<Snapshot> filter = s -> true;
        if (q.containsKey("publisher")) {
            String who = q.get("publisher");
            long twin = who.length() == 2 * Ed25519PublicKey.LENGTH
                    ? state.twinOf(Ed25519PublicKey.fromHex(who)).map(Twin::id).orElse(-1L)
                    : number(q, "publisher");
            filter = s -> s.publisherTwin() == twin;
        }
        if (q.containsKey("name")) {
            return Reply.ok(state.snapshot(q.get("name")).filter(filter).stream().toList());
        }
        return Reply.ok(state.snapshots().values().stream().filter(filter).toList());
    }

    private Reply block(String which) {
        long height = which.equals("latest") ? node.head().height() : parse("height", which);
        return node.block(height).map(b -> Reply.ok(blockJson(b))).orElse(Reply.error(404, "block " + height + " is not committed (yet)"));
    }

    private Map<String, Object> blockJson(Block b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hash", b.header().hash());
        out.put("header", b.header());
        out.put("final", node.isFinal(b.header().height()));
        out.put("signatures", node.signatures(b.header().height()));
        List<Map<String, Object>> txs = new java.util.ArrayList<>();
        for (int i = 0; i < b.transactions().size(); i++) {
            SignedTransaction tx = b.transactions().get(i);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("hash", BlockProducer.hashOf(tx));
            t.put("sender", tx.sender());
            t.put("nonce", tx.nonce());
            t.put("payload", tagged(tx.payload(), Transaction.class));
            t.put("outcome", tagged(b.outcomes().get(i), Outcome.class));
            txs.add(t);
        }
        out.put("transactions", txs);
        // The canonical bytes and the challenges the block was built with: what a follower needs
        // to rebuild the block and check it against the certified header.
        out.put("signedTransactions", b.transactions().stream().map(tx -> HexFormat.of().formatHex(tx.encode())).toList());
        List<Map<String, Object>> challenges = new java.util.ArrayList<>();
        node.challenges(b.header().height()).forEach((h, hash) -> challenges.add(Map.of("height", h, "hash", hash)));
        out.put("challenges", challenges);
        return out;
    }

    private Reply proof(String keyHex) {
        byte[] key = HexFormat.of().parseHex(keyHex);
        // The entries are read live; retry on the rare race where a block lands between reading the root and the entry.
        for (int attempt = 0; attempt < 3; attempt++) {
            BlockHeader head = node.head();
            LedgerState state = node.state();
            Optional<byte[]> value = state.entry(key);
            MerkleProof proof = state.prove(key);
            boolean holds = value.isPresent() ? proof.provesInclusion(head.stateRoot(), key, value.get())
                    : proof.provesAbsence(head.stateRoot(), key);
            if (holds) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("height", head.height());
                out.put("blockHash", head.hash());
                out.put("stateRoot", head.stateRoot());
                out.put("key", key);
                out.put("value", value.orElse(null));
                out.put("proof", proof);
                return Reply.ok(out);
            }
        }
        return Reply.error(503, "the state moved on while proving; retry");
    }

    /** Sends each final block from {@code from} on as an SSE event, until the client goes away. */
    private void stream(HttpExchange exchange, Map<String, String> query) throws IOException {
        long from = query.containsKey("from") ? number(query, "from") : node.head().height();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (long h = from; ; h++) {
                while (!node.isFinal(h)) {
                    Thread.sleep(50);
                }
                Block block = node.block(h).orElseThrow();
                String data = json.writeValueAsString(blockJson(block));
                out.write(("id: " + h + "\nevent: block\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The client went away, or the node is closing: the stream simply ends.
        }
    }

    /** A value of a sealed type, tagged with its record's name; needed where the declared type is lost (maps). */
    private JsonNode tagged(Object value, Class<?> sealed) {
        try {
            return json.readTree(json.writerFor(sealed).writeValueAsBytes(value));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(reply.body());
        } catch (IOException e) {
            reply = Reply.error(500, "internal error: cannot render the answer: " + e.getMessage());
            body = json.writeValueAsBytes(reply.body());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (reply.status() == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
    }

    private static long number(Map<String, String> q, String name) {
        return parse(name, q.get(name));
    }

    private static long parse(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: an integer)");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
