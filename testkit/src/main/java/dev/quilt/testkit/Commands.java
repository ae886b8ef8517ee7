package dev.quilt.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program to completion: arguments, bytes on stdin, captured stdout, stderr and exit code.
 *
 * <pre>{@code
 * Commands.Result r = Commands.run(List.of("redis-cli", "-p", port, "PING"), Duration.ofSeconds(30));
 * assertThat(r.stdout()).isEqualTo("PONG\n");
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class Commands {
    private Commands() { }

    /**
     * What a finished program left behind.
     *
     * @param exitCode the process's exit status
     * @param stdout   everything it wrote to stdout, decoded as UTF-8
     * @param stderr   everything it wrote to stderr, decoded as UTF-8
     */
    public record Result(int exitCode, String stdout, String stderr) { }

    /** Runs {@code command} with an empty stdin. */
    public static Result run(List<String> command, Duration timeout) {
        return run(command, new byte[0], timeout);
    }

    /**
     * Runs {@code command} (program name first; looked up on the PATH), writes {@code stdin} to it and
     * closes its input, then waits for it to exit.
     *
     * @throws AssertionError when it is still running at the deadline (it is then killed), so a hung
     *                        program fails the test with its output so far
     * @throws UncheckedIOException when it cannot be started
     */
    public static Result run(List<String> command, byte[] stdin, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Thread> pumps = new ArrayList<>();
        pumps.add(Thread.ofVirtual().start(() -> copy(process.getInputStream(), out)));
        pumps.add(Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err)));
        pumps.add(Thread.ofVirtual().start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the program exited without reading all of its input; its output says why
            }
        }));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                for (Thread pump : pumps) {
                    pump.join();
                }
                throw new AssertionError(command + " still running after " + timeout + "; stdout: "
                        + text(out) + " stderr: " + text(err));
            }
            for (Thread pump : pumps) {
                pump.join();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
        return new Result(process.exitValue(), text(out), text(err));
    }

    /** The program's path when {@code program} is an executable on the PATH. */
    public static Optional<Path> which(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        byte[] buffer = new byte[8192];
        try (from) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                synchronized (to) {
                    to.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the stream closes when the process dies
        }
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
