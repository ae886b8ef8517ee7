package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.CliException;
import dev.quilt.chain.ChainClient;
import dev.quilt.chain.PricingPolicy;
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
import java.util.Optional;

/**
 * The ledger's nodes and farms as the scheduler needs them, read from the chain API's
 * {@code /v1/nodes}, {@code /v1/farms}, {@code /v1/pricing-policies}, {@code /v1/parameters} and
 * {@code /v1/blocks/latest} ({@code ChainClient} has no call for the node and farm lists).
 */
final class LedgerView {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A node as the scheduler sees it. {@code attested}: uptime windows attested; {@code up}: one of
     * the last two; {@code policy}: what its farm sells at.
     */
    record NodeInfo(long id, long farmId, String farmName, String country, Resources capacity, Resources free, String endpoint,
                    int attested, boolean up, long twinId, PricingPolicy policy) {}

    private LedgerView() {}

    static List<NodeInfo> nodes(URI api) {
        Map<Long, PricingPolicy> policies = chain(api, ChainClient::pricingPolicies);
        Map<Long, String> farmNames = new HashMap<>();
        Map<Long, PricingPolicy> farmPolicies = new HashMap<>();
        for (JsonNode f : get(api, "v1/farms")) {
            farmNames.put(f.get("id").asLong(), f.get("name").asText());
            farmPolicies.put(f.get("id").asLong(), policies.get(f.get("pricingPolicyId").asLong()));
        }
        long time = get(api, "v1/blocks/latest").get("header").get("time").asLong();
        // Attested windows are numbered time / window; a node is up when it attested this window or the one before.
        long current = time / uptimeWindowSeconds(api);
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
                    windows.contains(current) || windows.contains(current - 1), n.get("twinId").asLong(),
                    Optional.ofNullable(farmPolicies.get(farm)).orElseThrow(() -> CliException.unavailable(
                            "chain API " + api + ": farm " + farm + " of node " + n.get("id").asLong() + " sells at no known pricing policy",
                            null))));
        }
        return out;
    }

    /** The ledger's uptime window: attestations are counted per window of this many seconds. */
    static long uptimeWindowSeconds(URI api) {
        return chain(api, c -> c.parameters().uptimeWindowSeconds());
    }

    private interface Call<T> {
        T on(ChainClient c) throws IOException;
    }

    private static <T> T chain(URI api, Call<T> call) {
        try {
            return call.on(new ChainClient(api));
        } catch (IOException e) {
            throw CliException.unavailable("chain API " + api + ": " + e.getMessage(), e);
        }
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
