package dev.quilt.cli.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployable chain node, as a chain team describes it in a template file (format:
 * {@code templates/README.md}). Read by {@link TemplateParser}; turned into a deployment document
 * by {@link Rendering}.
 */
public record Template(String name, String description, Map<String, Parameter> parameters, Optional<Requirement> requires,
                       Map<String, Size> sizes, String defaultSize, List<WorkloadSpec> workloads, Optional<Health> health,
                       Map<String, String> endpoints) {
    public Template {
        // Insertion order is kept: it is the file's order, which help and fingerprints rely on.
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        sizes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sizes));
        workloads = List.copyOf(workloads);
        endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
    }

    /** A {@code --set} key: its default (none means it must be given) and, if listed, the values allowed. */
    public record Parameter(String description, Optional<String> defaultValue, List<String> allowed) {}

    /** A program the node must have: the parameter holding its path and what it is called, for the error. */
    public record Requirement(String binary, String parameter) {}

    /** A size preset: thousandths of a CPU, memory and data disk in bytes, shared by the workloads by weight. */
    public record Size(long cpuMillis, long memoryBytes, long diskBytes) {}

    /**
     * One process of the template.
     *
     * @param args   each with an optional condition {@code param=value}
     * @param ports  names of the ports it listens on
     * @param data   where its data volume is mounted, if it has one
     * @param weight its share of the size's CPU, memory and disk
     */
    public record WorkloadSpec(String name, String command, List<Arg> args, Map<String, String> env, List<String> ports,
                               Optional<String> data, int weight, String restart) {}

    /** Arguments included when {@code when} (a {@code param=value} test) holds, or always. */
    public record Arg(Optional<String> when, List<String> values) {}

    /**
     * How to tell the deployment works: an HTTP request to a port ({@code expect}: JSON pointer to
     * expected text) or a TCP connect, within {@code timeout}.
     */
    public record Health(String workload, String port, Optional<HttpCheck> http, Map<String, String> expect, Duration timeout) {}

    /** The HTTP request of a health check. */
    public record HttpCheck(String method, String path, Optional<String> body) {}
}
