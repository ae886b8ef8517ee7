package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A template's health check, probed from the client: the node does not probe yet, and on a devnet
 * the workload's ports are reachable from here. One probe answers healthy or says why not.
 */
public final class HealthProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthProbe() {}

    /** What to probe: an HTTP request when {@code method} is present, else a TCP connect. */
    public record Target(String workload, String host, int port, Optional<String> method, Optional<String> path, Optional<String> body,
                         Map<String, String> expect) {}

    /** The outcome: healthy, or the reason it is not. */
    public record Result(boolean healthy, String detail) {}

    /** The target of a template's check at {@code hostPort}, as a node reports a port. */
    static Target target(Template.Health h, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new Target(h.workload(), hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)),
                h.http().map(Template.HttpCheck::method), h.http().map(Template.HttpCheck::path), h.http().flatMap(Template.HttpCheck::body),
                h.expect());
    }

    public static Result probe(Target t) {
        if (t.method().isEmpty()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(t.host(), t.port()), (int) TIMEOUT.toMillis());
                return new Result(true, "tcp " + t.host() + ":" + t.port() + " accepts connections");
            } catch (IOException e) {
                return new Result(false, "tcp " + t.host() + ":" + t.port() + ": " + e.getMessage());
            }
        }
        String url = "http://" + t.host() + ":" + t.port() + t.path().orElse("/");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        request = "POST".equals(t.method().get())
                ? request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(t.body().orElse("")))
                : request.GET();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Result(false, url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            return new Result(false, url + ": status " + response.statusCode());
        }
        if (t.expect().isEmpty()) {
            return new Result(true, url + ": status " + response.statusCode());
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return new Result(false, url + ": answer is not JSON");
        }
        for (Map.Entry<String, String> e : t.expect().entrySet()) {
            JsonNode v = body.at(e.getKey());
            if (v.isMissingNode() || !v.asText().equals(e.getValue())) {
                return new Result(false, url + ": " + e.getKey() + " is " + (v.isMissingNode() ? "missing" : v.asText())
                        + ", expected " + e.getValue());
            }
        }
        return new Result(true, url + ": " + String.join(", ", t.expect().keySet()) + " as expected");
    }
}
