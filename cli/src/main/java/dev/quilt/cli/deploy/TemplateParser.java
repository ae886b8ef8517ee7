package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.quilt.cli.CliException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a template file; every mistake is one line naming the template and the field. */
final class TemplateParser {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,13}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("name", "description", "parameters", "requires", "sizes", "default-size",
            "workloads", "health", "endpoints");

    private static final JsonNode JSON_EMPTY = YAML.createArrayNode();

    private final String source;

    private TemplateParser(String source) {
        this.source = source;
    }

    static Template parse(String source, byte[] yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw CliException.input("template " + source + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return new TemplateParser(source).template(root);
    }

    private Template template(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw fail("", "expected a mapping with name, sizes and workloads");
        }
        unknown(root, TOP, "");
        String name = text(root, "name", "");
        Map<String, Template.Parameter> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> p : fields(root.path("parameters"))) {
            String where = "parameters." + p.getKey();
            JsonNode v = p.getValue();
            List<String> allowed = new ArrayList<>();
            v.path("allowed").forEach(a -> allowed.add(a.asText()));
            Optional<String> def = v.has("default") ? Optional.of(v.get("default").asText()) : Optional.empty();
            def.filter(d -> !allowed.isEmpty() && !allowed.contains(d))
                    .ifPresent(d -> { throw fail(where + ".default", d + " is not among allowed " + allowed); });
            parameters.put(p.getKey(), new Template.Parameter(v.path("description").asText(""), def, allowed));
        }
        List<Template.Requirement> requires = new ArrayList<>();
        JsonNode req = root.path("requires");
        for (JsonNode r : req.isArray() ? req : req.isMissingNode() ? JSON_EMPTY : YAML.createArrayNode().add(req)) {
            String parameter = text(r, "parameter", "requires");
            if (!parameters.containsKey(parameter)) {
                throw fail("requires.parameter", parameter + " is not a declared parameter");
            }
            requires.add(new Template.Requirement(text(r, "binary", "requires"), parameter));
        }
        Map<String, Template.Size> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> s : fields(root.path("sizes"))) {
            String where = "sizes." + s.getKey();
            JsonNode v = s.getValue();
            sizes.put(s.getKey(), new Template.Size(positive(v, "cpu", where), bytes(v, "memory", where), bytes(v, "disk", where)));
        }
        if (sizes.isEmpty()) {
            throw fail("sizes", "expected at least one size (S, M, L)");
        }
        String defaultSize = root.path("default-size").asText(sizes.keySet().iterator().next());
        if (!sizes.containsKey(defaultSize)) {
            throw fail("default-size", defaultSize + " is not one of " + sizes.keySet());
        }
        List<Template.WorkloadSpec> workloads = new ArrayList<>();
        Set<String> ports = new HashSet<>();
        JsonNode ws = root.path("workloads");
        if (!ws.isArray() || ws.isEmpty()) {
            throw fail("workloads", "expected a list of at least one process");
        }
        for (int i = 0; i < ws.size(); i++) {
            workloads.add(workload(ws.get(i), "workloads[" + i + "]", ports, workloads));
        }
        Optional<Template.Health> health = Optional.empty();
        if (root.has("health")) {
            health = Optional.of(health(root.get("health"), ports, workloads));
        }
        Map<String, String> endpoints = new LinkedHashMap<>();
        fields(root.path("endpoints")).forEach(e -> endpoints.put(e.getKey(), e.getValue().asText()));
        return new Template(name, root.path("description").asText(""), parameters, requires, sizes, defaultSize, workloads,
                health, endpoints);
    }

    private Template.WorkloadSpec workload(JsonNode w, String where, Set<String> ports, List<Template.WorkloadSpec> earlier) {
        unknown(w, Set.of("name", "command", "args", "env", "ports", "data", "weight", "restart", "secrets"), where);
        String name = text(w, "name", where);
        if (!NAME.matcher(name).matches() || earlier.stream().anyMatch(e -> e.name().equals(name))) {
            throw fail(where + ".name", name + " (expected: unique, " + NAME.pattern() + ")");
        }
        List<Template.Arg> args = new ArrayList<>();
        for (JsonNode a : w.path("args")) {
            if (a.isObject()) {
                List<String> values = new ArrayList<>();
                a.path("args").forEach(v -> values.add(v.asText()));
                args.add(new Template.Arg(Optional.of(text(a, "when", where + ".args")), values));
            } else {
                args.add(new Template.Arg(Optional.empty(), List.of(a.asText())));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        fields(w.path("env")).forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        List<String> own = new ArrayList<>();
        for (JsonNode p : w.path("ports")) {
            if (!NAME.matcher(p.asText()).matches() || !ports.add(p.asText())) {
                throw fail(where + ".ports", p.asText() + " (expected: unique in the template, " + NAME.pattern() + ")");
            }
            own.add(p.asText());
        }
        Optional<String> data = w.has("data") ? Optional.of(w.get("data").asText()) : Optional.empty();
        data.filter(d -> !d.startsWith("/") || d.contains(".."))
                .ifPresent(d -> { throw fail(where + ".data", d + " (expected: an absolute path without ..)"); });
        String restart = w.path("restart").asText("on-failure");
        if (!List.of("never", "on-failure", "always").contains(restart)) {
            throw fail(where + ".restart", restart + " (expected: never, on-failure or always)");
        }
        int weight = w.path("weight").asInt(1);
        if (weight < 1) {
            throw fail(where + ".weight", weight + " (expected: >= 1)");
        }
        List<Template.Secret> secrets = new ArrayList<>();
        for (JsonNode x : w.path("secrets")) {
            String secret = text(x, "name", where + ".secrets");
            Optional<String> generate = x.has("generate") ? Optional.of(x.get("generate").asText()) : Optional.empty();
            Optional<String> fromFile = x.has("from-file") ? Optional.of(x.get("from-file").asText()) : Optional.empty();
            if (generate.isPresent() == fromFile.isPresent() || generate.filter(g -> !List.of("hex32", "ed25519").contains(g)).isPresent()) {
                throw fail(where + ".secrets." + secret, "expected generate: hex32 | ed25519, or from-file: <parameter>");
            }
            secrets.add(new Template.Secret(secret, generate, fromFile));
        }
        return new Template.WorkloadSpec(name, text(w, "command", where), args, env, own, data, weight, restart, secrets);
    }

    private Template.Health health(JsonNode h, Set<String> ports, List<Template.WorkloadSpec> workloads) {
        unknown(h, Set.of("workload", "port", "http", "tcp", "expect", "timeout"), "health");
        String port = text(h, "port", "health");
        if (!ports.contains(port)) {
            throw fail("health.port", port + " is not a port of any workload");
        }
        String workload = h.path("workload").asText(workloads.get(0).name());
        Optional<Template.HttpCheck> http = Optional.empty();
        if (h.has("http")) {
            JsonNode x = h.get("http");
            String method = x.path("method").asText("GET");
            if (!List.of("GET", "POST").contains(method)) {
                throw fail("health.http.method", method + " (expected: GET or POST)");
            }
            http = Optional.of(new Template.HttpCheck(method, x.path("path").asText("/"),
                    x.has("body") ? Optional.of(x.get("body").asText()) : Optional.empty()));
        }
        Map<String, String> expect = new LinkedHashMap<>();
        fields(h.path("expect")).forEach(e -> expect.put(e.getKey(), e.getValue().asText()));
        Duration timeout = Duration.ofSeconds(h.path("timeout").asLong(120));
        return new Template.Health(workload, port, http, expect, timeout);
    }

    private Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw fail("", "expected a mapping where a list or value stands");
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        node.properties().forEach(out::add);
        return out;
    }

    private void unknown(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!known.contains(field)) {
                throw fail(where.isEmpty() ? field : where + "." + field, "unknown field (expected one of " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw fail(where.isEmpty() ? field : where + "." + field, "missing");
        }
        return v.asText();
    }

    private long positive(JsonNode node, String field, String where) {
        long v = node.path(field).asLong(0);
        if (v <= 0) {
            throw fail(where + "." + field, node.path(field).asText("missing") + " (expected: a positive number)");
        }
        return v;
    }

    private long bytes(JsonNode node, String field, String where) {
        return dev.quilt.cli.command.ByteSize.parse("template " + source + ": " + where + "." + field, node.path(field).asText(""));
    }

    private CliException fail(String field, String why) {
        return CliException.input("template " + source + (field.isEmpty() ? "" : ": " + field) + ": " + why);
    }
}
