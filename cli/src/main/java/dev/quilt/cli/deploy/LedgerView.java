package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.CliException;
import dev.quilt.chain.Resources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's nodes and farms as the scheduler needs them, read from the chain API's
 * {@code /v1/nodes}, {@code /v1/farms} and {@code /v1/blocks/latest} ({@code ChainClient} has no
 * call for these lists).
 */
final class LedgerView {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A node as the scheduler sees it. {@code attested}: uptime windows attested; {@code up}: one of the last two. */
    record NodeInfo(long id, long farmId, String farmName, String country, Resources capacity, Resources free, String endpoint,
                    int attested, boolean up, long twinId) {}

    private LedgerView() {}

    static List<NodeInfo> nodes(URI api) {
        JsonNode farms = get(api, "v1/farms");
        Map<Long, String> farmNames = new HashMap<>();
        farms.forEach(f -> farmNames.put(f.get("id").asLong(), f.get("name").asText()));
        long time = get(api, "v1/blocks/latest").get("header").get("time").asLong();
        // Attested windows are numbered time / window (the devnet's and chain init's window: an hour; the
        // API does not serve the parameter). A node is up when it attested this window or the one before.
        long window = 3600;
        long current = time / window;
        List<NodeInfo> out = new ArrayList<>();
        for (JsonNode n : get(api, "v1/nodes")) {
            Resources capacity = resources(n.get("capacity"));
            Resources reserved = resources(n.get("reserved"));
            Resources free = new Resources(capacity.cru() - reserved.cru(), capacity.mru() - reserved.mru(),
                    capacity.sru() - reserved.sru(), capacity.hru() - reserved.hru());
            List<Long> windows = new ArrayList<>();
            n.get("attestedWindows").forEach(w -> windows.add(w.asLong()));
            long farm = n.get("farmId").asLong();
            out.add(new NodeInfo(n.get("id").asLong(), farm, farmNames.getOrDefault(farm, "farm-" + farm),
                    n.get("location").get("country").asText(), capacity, free, n.get("endpoint").asText(), windows.size(),
                    windows.contains(current) || windows.contains(current - 1), n.get("twinId").asLong()));
        }
        return out;
    }

    private static Resources resources(JsonNode r) {
        return new Resources(r.get("cru").asLong(), r.get("mru").asLong(), r.get("sru").asLong(), r.get("hru").asLong());
    }

    static JsonNode get(URI api, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw CliException.unavailable("chain API " + api + path + ": status " + r.statusCode() + " " + r.body(), null);
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw CliException.unavailable("cannot reach the chain API at " + api + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while calling " + api, e);
        }
    }
}
