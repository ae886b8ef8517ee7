package dev.quilt.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * A chain API in front of a real one that serves block {@code height} with its first transaction
 * replaced by {@code replacement} (validly signed, but not what the validators certified), in the
 * block answers and in the stream alike. Everything else passes through.
 */
final class TamperingProxy implements AutoCloseable {
    private final HttpServer server;
    private final URI upstream;
    private final long height;
    private final SignedTransaction replacement;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    TamperingProxy(URI upstream, long height, SignedTransaction replacement) throws IOException {
        this.upstream = upstream;
        this.height = height;
        this.replacement = replacement;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()));
            if (exchange.getRequestMethod().equals("POST")) {
                request.POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            boolean stream = exchange.getRequestURI().getPath().startsWith("/v1/stream");
            exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(response.statusCode(), 0);
            OutputStream out = exchange.getResponseBody();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    String data = stream && line.startsWith("data: ") ? "data: " + tamper(line.substring(6)) : stream ? line : tamper(line);
                    out.write((data + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the follower or the upstream went away
        }
    }

    private String tamper(String body) throws IOException {
        if (!body.startsWith("{\"hash\"")) {
            return body;
        }
        ObjectNode block = (ObjectNode) json.readTree(body);
        if (block.get("header").get("height").asLong() == height) {
            ((ArrayNode) block.get("signedTransactions")).set(0, HexFormat.of().formatHex(replacement.encode()));
        }
        return json.writeValueAsString(block);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
