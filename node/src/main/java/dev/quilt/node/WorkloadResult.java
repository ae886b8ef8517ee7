package dev.quilt.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What became of one workload, as its owner sees it.
 *
 * @param health    for a process with a health check: {@code starting}, {@code healthy} or
 *                  {@code unhealthy: <reason>}; null (left out of the JSON) without one
 * @param endpoints for a process with ports: port name → {@code host:port}
 * @param restarts  how many times a process was started again after its first start
 */
public record WorkloadResult(String name, long version, State state, String message,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String health,
                             SortedMap<String, String> endpoints, int restarts) {

    /** A workload's states, as in the deployment's per-workload results; lower-case in JSON. */
    public enum State {
        INIT, OK, ERROR, PAUSED, DELETED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public WorkloadResult {
        endpoints = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(endpoints));
    }

    /** A result without health check, endpoints or restarts (volumes, namespaces, failures). */
    public WorkloadResult(String name, long version, State state, String message) {
        this(name, version, state, message, null, new TreeMap<>(), 0);
    }

    WorkloadResult withEndpoints(Map<String, String> endpoints) {
        return new WorkloadResult(name, version, state, message, health, new TreeMap<>(endpoints), restarts);
    }
}
