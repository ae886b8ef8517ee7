package dev.quilt.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quilt.common.codec.CodecException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one HTTP endpoint. It takes signed deployments, never commands: there is no admin
 * API, no shell and no "run this". JSON over the JDK's HTTP server, a virtual thread per request.
 *
 * <pre>
 * POST /v1/deployments          {"hex": signed deployment (DeploymentCodec)}
 *   → 202 {"contract", "version", "hash", "finalHeight", "status": "accepted"}
 *   → 400 | 403 | 409 | 503 {"error": the reason}      (see {@link Decision.Refuse})
 * POST /v1/deployments/status   {"hex": signed status query (StatusQuery)}
 *   → 200 {"contract", "workloads": [{"name", "version", "state", "message"}]}
 * POST /v1/deployments/logs     {"hex": signed status query, "workload": name[, "epoch": e, "from": position]}
 *   → 200 {"contract", "workload", "log", "epoch", "next", "skipped", "more"}: the last 64 KiB of its
 *         output, or up to 64 KiB of what follows position "from" of that epoch; "next" goes on from there.
 *         With "wait": milliseconds (at most 30,000), a request that finds nothing past "from" is held until
 *         output comes, the process starts over in a new epoch, or the time is up
 *         (see {@link BoundedLog#read})
 * GET  /v1/node/sealing-key      → 200 {"key": X25519 public key hex, "signature": the node key's, hex}
 *                                (see {@link SecretSealer#verifySealingKey})
 * </pre>
 *
 * <p>An accepted deployment is stored before it is answered, then handed to the reconciler.
 * Thread-safe; requests are verified concurrently, but accepting is serialized so that two
 * deployments cannot both claim the last free capacity.
 */
public final class Intake implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    private static final int MAX_BODY = 2 * DeploymentCodec.MAX_DOCUMENT + 4096;

    private final HttpServer server;
    private final DeploymentVerifier verifier;
    private final DeploymentStore store;
    private final Consumer<SignedDeployment> accepted;
    private final StatusSource status;
    private final LogSource logs;
    private final Map<String, String> sealingKey;
    private final ObjectMapper json = new ObjectMapper();
    private final Object acceptLock = new Object();

    /** Answers status queries that already proved the asker owns the contract. */
    @FunctionalInterface
    interface StatusSource {
        Map<String, Object> status(long contractId);
    }

    /**
     * A process workload's output after a position, empty when no such process runs here; when there is none past
     * the position yet, waits up to {@code wait} for some first.
     */
    @FunctionalInterface
    interface LogSource {
        java.util.Optional<BoundedLog.Chunk> logs(long contractId, String workload, long epoch, long from, int max,
                                                  Duration wait) throws IOException, InterruptedException;
    }

    static final int LOG_BYTES = 64 * 1024;
    /** The longest a logs request may wait for output: well inside common HTTP idle timeouts. */
    static final long MAX_LOG_WAIT_MILLIS = 30_000;
    /**
     * A waiting logs request looks up the workload again this often, so a new version of the process (a new log,
     * a new epoch) is answered within it.
     */
    private static final Duration LOG_WAIT_SLICE = Duration.ofSeconds(1);
    /** How soon a waiting logs request looks again after a wake-up that brought nothing to show. */
    private static final Duration LOG_RECHECK = Duration.ofMillis(50);

    private Intake(HttpServer server, DeploymentVerifier verifier, DeploymentStore store, Consumer<SignedDeployment> accepted,
                   StatusSource status, LogSource logs, Map<String, String> sealingKey) {
        this.sealingKey = Map.copyOf(sealingKey);
        this.server = server;
        this.verifier = verifier;
        this.store = store;
        this.accepted = accepted;
        this.status = status;
        this.logs = logs;
    }

    static Intake start(InetSocketAddress address, DeploymentVerifier verifier, DeploymentStore store,
                        Consumer<SignedDeployment> accepted, StatusSource status, LogSource logs,
                        Map<String, String> sealingKey) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Intake intake = new Intake(server, verifier, store, accepted, status, logs, sealingKey);
        server.createContext("/v1/", intake::handle);
        server.start();
        return intake;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                if (method.equals("GET") && path.equals("/v1/node/sealing-key")) {
                    reply = new Reply(200, new java.util.TreeMap<>(sealingKey));
                } else if (!method.equals("POST")) {
                    reply = Reply.error(405, "no route for " + method + " " + path);
                } else if (path.equals("/v1/deployments")) {
                    reply = deploy(hex(body(exchange)));
                } else if (path.equals("/v1/deployments/status")) {
                    reply = status(hex(body(exchange)));
                } else if (path.equals("/v1/deployments/logs")) {
                    reply = logs(body(exchange));
                } else {
                    reply = Reply.error(404, "no route for " + method + " " + path);
                }
            } catch (IllegalArgumentException e) {
                reply = Reply.error(400, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = Reply.error(503, "the node is shutting down");
            } catch (RuntimeException e) {
                log.warn("intake request failed", e);
                reply = Reply.error(500, "internal error: " + e);
            }
            byte[] body = json.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Reply deploy(byte[] bytes) throws InterruptedException {
        SignedDeployment d;
        try {
            d = SignedDeployment.decode(bytes);
        } catch (CodecException e) {
            throw new IllegalArgumentException("malformed deployment: " + e.getMessage());
        }
        synchronized (acceptLock) {
            Decision decision = verifier.verify(d);
            return switch (decision) {
                case Decision.Refuse r -> {
                    log.info("refused contract {} version {}: {}", d.contractId(), d.document().version(), r.reason());
                    yield Reply.error(r.status(), r.reason());
                }
                case Decision.Accept a -> {
                    try {
                        store.put(d);
                    } catch (IOException e) {
                        yield Reply.error(503, "cannot store the deployment: " + e.getMessage());
                    }
                    log.info("accepted contract {} version {} at final block {}", d.contractId(), d.document().version(),
                            a.finalHeight());
                    accepted.accept(d);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("contract", d.contractId());
                    out.put("version", d.document().version());
                    out.put("hash", d.document().hash().toString());
                    out.put("finalHeight", a.finalHeight());
                    out.put("status", "accepted");
                    yield new Reply(202, out);
                }
            };
        }
    }

    private Reply status(byte[] bytes) throws InterruptedException {
        StatusQuery query = query(bytes);
        Decision.Refuse refusal = verifier.verifyQuery(query);
        if (refusal != null) {
            return Reply.error(refusal.status(), refusal.reason());
        }
        return new Reply(200, status.status(query.contractId()));
    }

    private Reply logs(JsonNode request) throws InterruptedException, IOException {
        StatusQuery query = query(hex(request));
        if (!request.hasNonNull("workload")) {
            throw new IllegalArgumentException("body: no \"workload\" field (expected: {\"hex\": ..., \"workload\": name})");
        }
        String workload = request.get("workload").asText();
        Decision.Refuse refusal = verifier.verifyQuery(query);
        if (refusal != null) {
            return Reply.error(refusal.status(), refusal.reason());
        }
        String position = "an integer, as \"next\" and \"epoch\" were answered";
        long epoch = optionalInteger(request, "epoch", position);
        long from = optionalInteger(request, "from", position);
        String waitRange = "0.." + MAX_LOG_WAIT_MILLIS + " milliseconds";
        long waitMillis = request.hasNonNull("wait") ? optionalInteger(request, "wait", waitRange) : 0;
        if (waitMillis < 0 || waitMillis > MAX_LOG_WAIT_MILLIS) {
            throw new IllegalArgumentException("body: \"wait\" is " + waitMillis + " (expected: " + waitRange + ")");
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        java.util.Optional<BoundedLog.Chunk> chunk;
        while (true) {
            long asked = System.nanoTime();
            Duration slice = Duration.ofNanos(Math.clamp(deadline - asked, 0, LOG_WAIT_SLICE.toNanos()));
            chunk = logs.logs(query.contractId(), workload, epoch, from, LOG_BYTES, slice);
            // Only a reader at a position of the current epoch waits; any other answer is news.
            boolean nothingNew = from >= 0 && chunk.isPresent() && chunk.get().epoch() == epoch
                    && chunk.get().bytes().length == 0 && chunk.get().skipped() == 0;
            if (!nothingNew || slice.isZero()) {
                break;
            }
            if (System.nanoTime() - asked < slice.toNanos() / 2) {
                // A wake-up with nothing to show (a guard: the log wakes a reader only for whole characters):
                // never ask again in a tight loop.
                Thread.sleep(Math.min(LOG_RECHECK.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
        if (chunk.isEmpty()) {
            return Reply.error(404, "contract " + query.contractId() + " has no process " + workload + " running on this node");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contract", query.contractId());
        out.put("workload", workload);
        out.put("log", new String(chunk.get().bytes(), java.nio.charset.StandardCharsets.UTF_8));
        out.put("epoch", chunk.get().epoch());
        out.put("next", chunk.get().next());
        out.put("skipped", chunk.get().skipped());
        out.put("more", chunk.get().more());
        return new Reply(200, out);
    }

    /** A field that may be absent (-1) but, when present, is an integer. */
    private static long optionalInteger(JsonNode request, String field, String expected) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return -1;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("body: \"" + field + "\" is " + value + " (expected: " + expected + ")");
        }
        return value.asLong();
    }

    private static StatusQuery query(byte[] bytes) {
        try {
            return StatusQuery.decode(bytes);
        } catch (CodecException e) {
            throw new IllegalArgumentException("malformed status query: " + e.getMessage());
        }
    }

    private static byte[] hex(JsonNode request) {
        if (!request.hasNonNull("hex")) {
            throw new IllegalArgumentException("body: no \"hex\" field (expected: {\"hex\": ...})");
        }
        return HexFormat.of().parseHex(request.get("hex").asText());
    }

    /** The request's JSON body. */
    private JsonNode body(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("body: more than " + MAX_BODY + " bytes");
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body: not JSON (expected: {\"hex\": ...})");
        }
        if (request == null || !request.isObject()) {
            throw new IllegalArgumentException("body: not a JSON object (expected: {\"hex\": ...})");
        }
        return request;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record Reply(int status, Object body) {
        static Reply error(int status, String reason) {
            return new Reply(status, Map.of("error", reason));
        }
    }
}
