package dev.quilt.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.CliException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls the user commands make to a chain node's HTTP API; errors become one-line CLI errors. */
final class ChainApiClient {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    ChainApiClient(String api) {
        try {
            this.base = URI.create(api.endsWith("/") ? api : api + "/");
        } catch (IllegalArgumentException e) {
            throw CliException.input("--api: '" + api + "' (expected: a URL such as http://127.0.0.1:8545)");
        }
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    JsonNode post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The body of a 2xx answer; otherwise the node's error, as a {@link CliException}. */
    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw CliException.unavailable("cannot reach the chain API at " + base + " (" + e.getMessage()
                    + "); is quilt chain run up, and is --api right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while calling " + base, e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw CliException.unavailable("the chain API at " + base + " answered " + response.statusCode() + " with no JSON", e);
        }
        if (response.statusCode() / 100 != 2) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : "status " + response.statusCode();
            throw response.statusCode() / 100 == 4 ? CliException.input(error) : CliException.unavailable(error, null);
        }
        return body;
    }
}
