package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import dev.quilt.chain.Resources;
import dev.quilt.node.DeploymentDocument;
import dev.quilt.node.HealthCheck;
import java.time.Duration;
import dev.quilt.node.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template with its parameters and size, made concrete for one node: {@code ${param.x}},
 * {@code ${port.x}}, {@code ${host}} and {@code ${name}} substituted, each workload named
 * {@code <deployment>_<workload>} (so the deployment's name can be read back from the node), each
 * data directory a volume of the workload's share of the disk.
 */
public final class Rendering {
    /** Deployment names: they prefix workload names, which the node limits to 40 characters. */
    public static final Pattern DEPLOYMENT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    static final char SEPARATOR = '_';
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z]+)(?:\\.([a-z0-9_-]+))?}");
    private static final long PIDS = 512;

    private Rendering() {}

    /** What the node must run and what the user is told. */
    public record Rendered(DeploymentDocument document) {}

    /** The template's parameters with defaults filled in; unknown keys, missing values and disallowed values refused. */
    public static Map<String, String> parameters(Template t, Map<String, String> set) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : set.entrySet()) {
            Template.Parameter p = t.parameters().get(e.getKey());
            if (p == null) {
                throw CliException.input("--set " + e.getKey() + ": template " + t.name() + " has no such parameter (it has: "
                        + String.join(", ", new TreeMap<>(t.parameters()).keySet()) + ")");
            }
            if (!p.allowed().isEmpty() && !p.allowed().contains(e.getValue())) {
                throw CliException.input("--set " + e.getKey() + "=" + e.getValue() + ": expected one of " + String.join(", ", p.allowed()));
            }
            out.put(e.getKey(), e.getValue());
        }
        t.parameters().forEach((k, p) -> {
            if (!out.containsKey(k) && p.defaultValue().isPresent()) {
                out.put(k, p.defaultValue().get());
            }
        });
        return out;
    }

    public static Template.Size size(Template t, String size) {
        Template.Size s = t.sizes().get(size == null ? t.defaultSize() : size);
        if (s == null) {
            throw CliException.input("--size " + size + ": template " + t.name() + " has sizes " + String.join(", ", t.sizes().keySet()));
        }
        return s;
    }

    /** The port names the template's workloads listen on, in order. */
    public static List<String> portNames(Template t) {
        return t.workloads().stream().flatMap(w -> w.ports().stream()).toList();
    }

    /**
     * The document for deployment {@code name} at {@code version}. {@code ${port.x}} and {@code ${host}}
     * stay in the args: the node gives the ports and knows its workload address.
     */
    public static Rendered render(Template t, String name, Map<String, String> params, Template.Size size, long version) {
        if (!DEPLOYMENT_NAME.matcher(name).matches()) {
            throw CliException.input("--name " + name + " (expected: " + DEPLOYMENT_NAME.pattern() + ")");
        }
        int weights = t.workloads().stream().mapToInt(Template.WorkloadSpec::weight).sum();
        int dataWeights = t.workloads().stream().filter(w -> w.data().isPresent()).mapToInt(Template.WorkloadSpec::weight).sum();
        List<Workload> workloads = new ArrayList<>();
        for (Template.WorkloadSpec w : t.workloads()) {
            String workloadName = name + SEPARATOR + w.name();
            List<String> args = new ArrayList<>();
            for (Template.Arg a : w.args()) {
                if (a.when().isEmpty() || holds(t, a.when().get(), params)) {
                    for (String v : a.values()) {
                        args.add(substitute(t, v, name, params, Map.of()));
                    }
                }
            }
            java.util.SortedMap<String, String> env = new TreeMap<>();
            w.env().forEach((k, v) -> env.put(k, substitute(t, v, name, params, Map.of())));
            List<Workload.Mount> mounts = new ArrayList<>();
            if (w.data().isPresent()) {
                String volume = workloadName + "-data";
                long share = Math.max(Workload.MIN_VOLUME, size.diskBytes() * w.weight() / dataWeights);
                workloads.add(new Workload.Volume(volume, version, share));
                mounts.add(new Workload.Mount(volume, w.data().get()));
            }
            String command = substitute(t, w.command(), name, params, Map.of());
            if (!command.startsWith("/")) {
                throw CliException.input("template " + t.name() + ": workload " + w.name() + " command '" + command
                        + "' (expected: an absolute path on the node)");
            }
            long cpu = Math.max(1, size.cpuMillis() * w.weight() / weights);
            long memory = Math.max(4L << 20, size.memoryBytes() * w.weight() / weights);
            try {
                Optional<HealthCheck> check = t.health().filter(h -> h.workload().equals(w.name())).map(Rendering::healthCheck);
                workloads.add(new Workload.Process(workloadName, version, command, args, env, new Workload.Limits(cpu, memory, PIDS),
                        Workload.RestartPolicy.valueOf(w.restart().toUpperCase(java.util.Locale.ROOT).replace('-', '_')), mounts,
                        w.ports().stream().map(p -> new Workload.Port(p, Workload.Protocol.TCP)).toList(), check, List.of()));
            } catch (IllegalArgumentException e) {
                throw CliException.input("template " + t.name() + ": workload " + w.name() + ": " + e.getMessage());
            }
        }
        return new Rendered(new DeploymentDocument(version, workloads));
    }

    /**
     * The node's health check: the request and the first expected value. The client checks all of
     * them again once the node says healthy ({@link HealthProbe}).
     */
    private static HealthCheck healthCheck(Template.Health h) {
        HealthCheck.Timing timing = new HealthCheck.Timing(h.timeout(), Duration.ofSeconds(1), Duration.ofSeconds(2));
        if (h.http().isEmpty()) {
            return new HealthCheck.Tcp(h.port(), timing);
        }
        Template.HttpCheck x = h.http().get();
        Optional<Map.Entry<String, String>> first = h.expect().entrySet().stream().findFirst();
        return new HealthCheck.Http(h.port(), HealthCheck.Method.valueOf(x.method()), x.path(), x.body().orElse(""), 200,
                first.map(Map.Entry::getKey), first.map(Map.Entry::getValue), timing);
    }

    /** The template's endpoints with the node's answer filled in: {@code ports} maps a port name to its {@code host:port}. */
    public static Map<String, String> endpoints(Template t, String name, Map<String, String> params, Map<String, String> ports) {
        Map<String, String> out = new LinkedHashMap<>();
        t.endpoints().forEach((k, v) -> out.put(k, substitute(t, v, name, params, ports)));
        return out;
    }

    /** The ledger's resources for the template at this size. */
    public static Resources resources(Template t, String name, Map<String, String> params, Template.Size size) {
        return render(t, name, params, size, 1).document().resources();
    }

    private static boolean holds(Template t, String condition, Map<String, String> params) {
        int eq = condition.indexOf('=');
        if (eq < 0) {
            throw CliException.input("template " + t.name() + ": condition '" + condition + "' (expected: param=value)");
        }
        return condition.substring(eq + 1).equals(params.get(condition.substring(0, eq)));
    }

    /**
     * Variables replaced: {@code ${param.x}}, {@code ${name}}, and, when {@code ports} has them
     * (endpoints, after the node answered), {@code ${port.x}} and {@code ${host}}; otherwise those
     * two are left for the node.
     */
    private static String substitute(Template t, String text, String name, Map<String, String> params, Map<String, String> ports) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String key = m.group(2);
            String value = switch (kind) {
                case "host" -> ports.isEmpty() ? m.group() : ports.values().iterator().next().replaceAll(":\\d+$", "");
                case "name" -> name;
                case "param" -> params.get(key);
                case "port" -> !portNames(t).contains(key) ? null : ports.isEmpty() ? m.group()
                        : ports.containsKey(key) ? ports.get(key).replaceAll("^.*:", "") : null;
                default -> null;
            };
            if (value == null) {
                if ("param".equals(kind) && t.parameters().containsKey(key)) {
                    throw CliException.input("template " + t.name() + " needs --set " + key + "=… (" + t.parameters().get(key).description() + ")");
                }
                throw CliException.input("template " + t.name() + ": unknown variable " + m.group() + " in '" + text + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
