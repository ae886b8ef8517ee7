package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.node.SignedDeployment;
import dev.quilt.node.StatusQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The owner's side of a node's intake: hand over a signed document, ask its status and logs with signed queries. */
final class IntakeClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The node's answer: its HTTP status and body; {@code error()} is the node's reason when it refused. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String error() {
            return body.path("error").asText("status " + status);
        }
    }

    /** One workload's state as the node reports it. */
    record WorkloadState(String name, long version, String state, String message, String health, Map<String, String> endpoints) {}

    private final URI intake;
    private final String chainId;
    private final long nodeId;
    private final Ed25519KeyPair owner;

    IntakeClient(String endpoint, String chainId, long nodeId, Ed25519KeyPair owner) {
        this.intake = URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
        this.chainId = chainId;
        this.nodeId = nodeId;
        this.owner = owner;
    }

    Answer deploy(SignedDeployment deployment) throws IOException, InterruptedException {
        return post("v1/deployments", Map.of("hex", HexFormat.of().formatHex(deployment.encode())));
    }

    /** The workloads' states; empty when the node has not taken the document (yet). */
    List<WorkloadState> status(long contract) throws IOException, InterruptedException {
        Answer a = post("v1/deployments/status", Map.of("hex", query(contract)));
        if (!a.ok()) {
            throw new IOException("node " + nodeId + " status of contract " + contract + ": " + a.error());
        }
        List<WorkloadState> out = new ArrayList<>();
        for (JsonNode w : a.body().path("workloads")) {
            Map<String, String> endpoints = new java.util.TreeMap<>();
            w.path("endpoints").properties().forEach(e -> endpoints.put(e.getKey(), e.getValue().asText()));
            out.add(new WorkloadState(w.path("name").asText(), w.path("version").asLong(), w.path("state").asText(),
                    w.path("message").asText(""), w.path("health").asText(""), endpoints));
        }
        return out;
    }

    String logs(long contract, String workload) throws IOException, InterruptedException {
        return logsAfter(contract, workload, -1, -1, Duration.ZERO).log();
    }

    /**
     * Output of a process: {@code log} follows position {@code from} of {@code epoch} (the last 64 KiB
     * when {@code from} is negative, or the epoch is no longer the node's); {@code next} is where the
     * next call goes on; {@code skipped} counts bytes rotated away before they could be read;
     * {@code more} says output past {@code next} is already waiting. With a {@code wait}, the node holds a
     * request that finds nothing new for up to that long (at most 30 s) and answers as soon as output comes.
     */
    record LogChunk(String log, long epoch, long next, long skipped, boolean more) {}

    LogChunk logsAfter(long contract, String workload, long epoch, long from, Duration wait)
            throws IOException, InterruptedException {
        Answer a = post("v1/deployments/logs", Map.of("hex", query(contract), "workload", workload, "epoch", epoch,
                "from", from, "wait", wait.toMillis()), REQUEST_TIMEOUT.plus(wait));
        if (!a.ok()) {
            throw new IOException("node " + nodeId + " logs of " + workload + ": " + a.error());
        }
        JsonNode b = a.body();
        return new LogChunk(b.path("log").asText(), b.path("epoch").asLong(-1), b.path("next").asLong(-1),
                b.path("skipped").asLong(0), b.path("more").asBoolean(false));
    }

    private String query(long contract) {
        return HexFormat.of().formatHex(StatusQuery.sign(owner, chainId, nodeId, contract, System.currentTimeMillis() / 1000).encode());
    }

    private Answer post(String path, Map<String, ?> body) throws IOException, InterruptedException {
        return post(path, body, REQUEST_TIMEOUT);
    }

    private Answer post(String path, Map<String, ?> body, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(intake.resolve(path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach node " + nodeId + " at " + intake + " (" + e.getMessage() + ")", e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            json = JSON.createObjectNode().put("error", "status " + r.statusCode() + ", not JSON: " + r.body());
        }
        return new Answer(r.statusCode(), json == null ? JSON.createObjectNode() : json);
    }
}
