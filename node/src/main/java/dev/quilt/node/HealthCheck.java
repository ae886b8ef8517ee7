package dev.quilt.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * How the node tells that a process serves: a probe of one of its ports, made by the node from
 * outside the sandbox. Until the first passing probe the workload is {@code init}; a probe failing
 * after that makes it unhealthy, and an error once the start period is over.
 */
public sealed interface HealthCheck {
    /** The name of a tcp {@link Workload.Port} of the same process. */
    String port();

    Timing timing();

    /**
     * An HTTP request to the port on the node's workload address, passing when the answer has the
     * expected status and, when a JSON pointer is given, the body has a value there (equal to
     * {@code expectValue} when that is given too; compared as text, strings without quotes).
     */
    record Http(String port, Method method, String path, String body, int expectStatus,
                Optional<String> expectJsonPointer, Optional<String> expectValue, Timing timing) implements HealthCheck {
        public Http {
            Workload.Port.checkName(port);
            if (!path.startsWith("/") || length(path) > 1024 || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("health path: '" + path + "' (expected: starting with /, no spaces, at most 1024 bytes)");
            }
            if (length(body) > Workload.MAX_TEXT || body.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("health body: longer than " + Workload.MAX_TEXT + " bytes or holding NUL");
            }
            if (method == Method.GET && !body.isEmpty()) {
                throw new IllegalArgumentException("health body: a GET check sends no body");
            }
            if (expectStatus < 100 || expectStatus > 599) {
                throw new IllegalArgumentException("health expectStatus: " + expectStatus + " (expected: 100 to 599)");
            }
            expectJsonPointer.ifPresent(p -> {
                if (!(p.isEmpty() || p.startsWith("/")) || length(p) > 256 || p.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("health expectJsonPointer: '" + p + "' (expected: a JSON pointer, empty or starting with /)");
                }
            });
            expectValue.ifPresent(v -> {
                if (expectJsonPointer.isEmpty()) {
                    throw new IllegalArgumentException("health expectValue: needs expectJsonPointer");
                }
                if (length(v) > 1024 || v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("health expectValue: longer than 1024 bytes or holding NUL");
                }
            });
        }

        /** A GET expecting 200, with default timing. */
        public static Http get(String port, String path) {
            return new Http(port, Method.GET, path, "", 200, Optional.empty(), Optional.empty(), Timing.DEFAULT);
        }
    }

    /** Passes when a TCP connection to the port opens. */
    record Tcp(String port, Timing timing) implements HealthCheck {
        public Tcp {
            Workload.Port.checkName(port);
        }
    }

    enum Method { GET, POST }

    /**
     * @param startPeriod how long after a start failing probes keep the workload {@code init}
     *                    rather than {@code error}; 0 to 1 h
     * @param interval    between probes; 100 ms to 1 h
     * @param timeout     of one probe; 100 ms to 1 min
     * Kept to whole milliseconds, which is what the encoding holds.
     */
    record Timing(Duration startPeriod, Duration interval, Duration timeout) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(2));

        public Timing {
            startPeriod = startPeriod.truncatedTo(ChronoUnit.MILLIS);
            interval = interval.truncatedTo(ChronoUnit.MILLIS);
            timeout = timeout.truncatedTo(ChronoUnit.MILLIS);
            within("startPeriod", startPeriod, Duration.ZERO, Duration.ofHours(1));
            within("interval", interval, Duration.ofMillis(100), Duration.ofHours(1));
            within("timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(1));
        }

        private static void within(String field, Duration d, Duration min, Duration max) {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("health " + field + ": " + d.toMillis() + " ms (expected: "
                        + min.toMillis() + " to " + max.toMillis() + " ms)");
            }
        }
    }

    private static int length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
