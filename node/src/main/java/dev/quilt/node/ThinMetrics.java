package dev.quilt.node;

import dev.quilt.common.metrics.MetricsRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fs metrics of every thin mount on the node (cache hits and misses, bytes fetched, evictions,
 * dirty bytes, ...), as one Prometheus text: each mount's series gets the labels
 * {@code contract} and {@code workload}, and each family is written once with its samples from
 * every mount together, as the format requires. Each mount keeps its own registry (the fs module's
 * {@code FsMount.metrics()}); this only relabels what those render.
 *
 * <p>Thread-safe (stateless).
 */
final class ThinMetrics {
    private ThinMetrics() {}

    /** One mount's registry and whose it is. */
    record Source(long contract, String workload, MetricsRegistry registry) {}

    /** A family: its {@code # HELP} and {@code # TYPE} lines, then its samples. */
    private record Family(List<String> head, List<String> samples) {}

    /** The families of all sources, sorted by name; empty when there are none. */
    static String render(List<Source> sources) {
        Map<String, Family> families = new TreeMap<>();
        for (Source s : sources) {
            String labels = "contract=\"" + s.contract() + "\",workload=\"" + s.workload() + "\"";
            Map<String, Family> own = new TreeMap<>();
            for (String line : s.registry().render().split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                boolean comment = line.startsWith("# ");
                String name = comment ? line.split(" ", 4)[2] : line.split("[{ ]", 2)[0];
                Family f = own.computeIfAbsent(name, n -> new Family(new ArrayList<>(), new ArrayList<>()));
                if (comment) {
                    f.head().add(line);
                } else {
                    f.samples().add(relabel(line, name, labels));
                }
            }
            own.forEach((name, f) -> families.computeIfAbsent(name, n -> new Family(f.head(), new ArrayList<>()))
                    .samples().addAll(f.samples()));
        }
        StringBuilder out = new StringBuilder();
        families.values().forEach(f -> {
            f.head().forEach(l -> out.append(l).append('\n'));
            f.samples().forEach(l -> out.append(l).append('\n'));
        });
        return out.toString();
    }

    /** {@code name value} or {@code name{a="b"} value} with {@code labels} put first. */
    static String relabel(String sample, String name, String labels) {
        String rest = sample.substring(name.length());
        return rest.startsWith("{") ? name + "{" + labels + (rest.startsWith("{}") ? rest.substring(1) : "," + rest.substring(1))
                : name + "{" + labels + "}" + rest;
    }
}
