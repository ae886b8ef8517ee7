package dev.quilt.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

/**
 * One probe of a {@link HealthCheck} against a workload's host port, from outside its sandbox.
 * The answer is empty when the probe passed, or the reason it failed, short enough for a status
 * line ({@code connection refused by 127.0.0.1:20001}, {@code status 500 (expected 200)},
 * {@code /result/status is "BUSY" (expected "OK")}).
 *
 * <p>Thread-safe.
 */
final class HealthProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1 << 20;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Optional<String> probe(HealthCheck check, String host, int port) throws InterruptedException {
        String where = host + ":" + port;
        long timeout = check.timing().timeout().toMillis();
        try {
            return switch (check) {
                case HealthCheck.Tcp tcp -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(host, port), (int) timeout);
                    }
                    yield Optional.empty();
                }
                case HealthCheck.Http h -> http(h, where);
            };
        } catch (ConnectException e) {
            return Optional.of("connection refused by " + where);
        } catch (HttpTimeoutException | java.net.SocketTimeoutException e) {
            return Optional.of("no answer from " + where + " within " + timeout + " ms");
        } catch (IOException e) {
            return Optional.of(where + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private Optional<String> http(HealthCheck.Http h, String where) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + where + h.path()))
                .timeout(h.timing().timeout());
        if (h.method() == HealthCheck.Method.POST) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(h.body()));
        }
        HttpResponse<java.io.InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (var in = r.body()) {
            body = in.readNBytes(MAX_BODY);
        }
        if (r.statusCode() != h.expectStatus()) {
            return Optional.of("status " + r.statusCode() + " (expected " + h.expectStatus() + ")");
        }
        if (h.expectJsonPointer().isEmpty()) {
            return Optional.empty();
        }
        String pointer = h.expectJsonPointer().get();
        JsonNode value;
        try {
            value = JSON.readTree(body).at(pointer);
        } catch (IOException e) {
            return Optional.of("the answer is not JSON");
        }
        if (value.isMissingNode()) {
            return Optional.of("no value at " + pointer);
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        if (h.expectValue().isPresent() && !h.expectValue().get().equals(text)) {
            return Optional.of(pointer + " is \"" + abbreviate(text) + "\" (expected \"" + h.expectValue().get() + "\")");
        }
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
