package dev.quilt.common.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A tiny registry of counters and gauges, rendered in the Prometheus text exposition format.
 *
 * <p>Thread-safe. Counters are {@link LongAdder}s, so hot paths may increment them from any thread without
 * contention; gauges are sampled when the registry is rendered. A metric is identified by its name plus an
 * optional single label ({@code name{label="value"}}); registering the same identity twice returns the
 * existing counter.
 */
public final class MetricsRegistry {

    private final Map<String, Family> families = new ConcurrentHashMap<>();

    /** A monotonically increasing counter. */
    public static final class Counter {
        private final LongAdder adder = new LongAdder();

        public void increment() {
            adder.increment();
        }

        public void add(long delta) {
            if (delta < 0) {
                throw new IllegalArgumentException("delta < 0: " + delta);
            }
            adder.add(delta);
        }

        public long value() {
            return adder.sum();
        }
    }

    private record Family(String name, String help, String type, Map<String, Object> series) { }

    /** The counter {@code name} without labels. */
    public Counter counter(String name, String help) {
        return counter(name, help, null, null);
    }

    /** The counter {@code name{label="value"}}, created on first use. */
    public Counter counter(String name, String help, String label, String value) {
        Family family = family(name, help, "counter");
        return (Counter) family.series().computeIfAbsent(seriesKey(label, value), k -> new Counter());
    }

    /**
     * Registers (or replaces) a counter whose value is read from {@code supplier} on every render, for totals
     * kept elsewhere (the supplier must never decrease).
     */
    public void counter(String name, String help, LongSupplier supplier) {
        family(name, help, "counter").series().put("", supplier);
    }

    /** Registers (or replaces) a gauge sampled on every render. */
    public void gauge(String name, String help, LongSupplier supplier) {
        family(name, help, "gauge").series().put("", supplier);
    }

    private Family family(String name, String help, String type) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("metric name: " + name + " (expected: [a-zA-Z_:][a-zA-Z0-9_:]*)");
        }
        Family family = families.computeIfAbsent(name, n -> new Family(n, help, type, new ConcurrentHashMap<>()));
        if (!family.type().equals(type)) {
            throw new IllegalArgumentException("metric " + name + " is a " + family.type() + " (expected: " + type + ")");
        }
        return family;
    }

    private static String seriesKey(String label, String value) {
        if (label == null) {
            return "";
        }
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "{" + label + "=\"" + escaped + "\"}";
    }

    /** The current values in the Prometheus text format (version 0.0.4), families sorted by name. */
    public String render() {
        StringBuilder out = new StringBuilder();
        List<String> names = new ArrayList<>(families.keySet());
        names.sort(null);
        for (String name : names) {
            Family family = families.get(name);
            out.append("# HELP ").append(name).append(' ').append(family.help().replace("\n", " ")).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
            List<String> keys = new ArrayList<>(family.series().keySet());
            keys.sort(null);
            for (String key : keys) {
                Object series = family.series().get(key);
                long value = series instanceof Counter c ? c.value() : ((LongSupplier) series).getAsLong();
                out.append(name).append(key).append(' ').append(String.format(Locale.ROOT, "%d", value)).append('\n');
            }
        }
        return out.toString();
    }
}
