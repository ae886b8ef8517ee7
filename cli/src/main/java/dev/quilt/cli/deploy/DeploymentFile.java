package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.quilt.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A declarative deployment file (YAML): the deployments that should exist, each a template with
 * its settings and placement; members of one {@code group} are spread over distinct farms and
 * countries when the grid allows. {@code quilt plan/apply/destroy -f} read it.
 *
 * @param path the file's absolute, normalized path: what {@code apply} records with each deployment it makes
 */
record DeploymentFile(String path, List<Entry> deployments) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("name", "template", "template-file", "size", "set", "node", "farm", "country", "group");

    /** One declared deployment. */
    record Entry(String name, String templateRef, Optional<String> size, Map<String, String> set, Scheduler.Constraints constraints,
                 Optional<String> group) {}

    static DeploymentFile read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw CliException.input("-f " + file + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : "not YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
        JsonNode list = root == null ? null : root.get("deployments");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw CliException.input("-f " + file + ": expected 'deployments:' with a list of at least one deployment");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String where = "-f " + file + ": deployments[" + i + "]";
            for (var it = d.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw CliException.input(where + "." + f + ": unknown field (expected one of " + new java.util.TreeSet<>(FIELDS) + ")");
                }
            }
            String name = d.path("name").asText("");
            if (!Rendering.DEPLOYMENT_NAME.matcher(name).matches() || !names.add(name)) {
                throw CliException.input(where + ".name: '" + name + "' (expected: unique, " + Rendering.DEPLOYMENT_NAME.pattern() + ")");
            }
            String ref;
            if (d.has("template") == d.has("template-file")) {
                throw CliException.input(where + ": give template or template-file (one of them)");
            } else if (d.has("template")) {
                ref = d.get("template").asText();
            } else {
                Path t = Path.of(d.get("template-file").asText());
                ref = "file:" + (t.isAbsolute() ? t : file.toAbsolutePath().getParent().resolve(t)).normalize();
            }
            Map<String, String> set = new LinkedHashMap<>();
            d.path("set").properties().forEach(e -> set.put(e.getKey(), e.getValue().asText()));
            Scheduler.Constraints c = new Scheduler.Constraints(d.has("node") ? OptionalLong.of(d.get("node").asLong()) : OptionalLong.empty(),
                    text(d, "farm"), text(d, "country"));
            out.add(new Entry(name, ref, text(d, "size"), set, c, text(d, "group")));
        }
        return new DeploymentFile(file.toAbsolutePath().normalize().toString(), out);
    }

    private static Optional<String> text(JsonNode d, String field) {
        return d.hasNonNull(field) ? Optional.of(d.get(field).asText()) : Optional.empty();
    }
}
