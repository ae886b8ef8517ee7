package dev.quilt.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running one main class on the test's own classpath, for crash and restart tests.
 *
 * <p>stdout and stderr are merged and captured; {@link #output()} returns what was printed so far, so a
 * test can {@link Await#until wait} for a line such as "listening". {@link #kill()} is {@code kill -9}
 * ({@link Process#destroyForcibly()}): no shutdown hook runs, which is the point of a crash test.
 * {@link #close()} kills too, so use it in try-with-resources.
 *
 * <p>The child gets the flags every Quilt JVM needs on Java 25 (native access, Unsafe memory access).
 * Thread-safe.
 */
public final class JavaProcess implements AutoCloseable {
    /** The flags Quilt's launcher passes to every JVM (see the root pom's {@code quilt.jvm.flags}). */
    public static final List<String> JVM_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread pump;

    private JavaProcess(Process process) {
        this.process = process;
        this.pump = Thread.ofVirtual().start(this::pumpOutput);
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM. */
    public static JavaProcess start(Class<?> mainClass, List<String> args) {
        return start(mainClass, List.of(), args);
    }

    /**
     * Starts {@code mainClass} with extra JVM options (for example {@code -Dkey=value}) and program
     * arguments, in the current working directory.
     */
    public static JavaProcess start(Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        try {
            return new JavaProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for " + mainClass.getName(), e);
        }
    }

    /** Everything the child printed so far on stdout and stderr, decoded as UTF-8. */
    public String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Sends SIGTERM, so shutdown hooks run; does not wait. What the child prints while it stops is still captured. */
    public void terminate() {
        // Process.destroy() would also close our ends of the child's pipes, losing its last words (and making
        // its shutdown writes fail); the handle only sends the signal.
        process.toHandle().destroy();
    }

    /** {@code kill -9}: stops the child at once, without shutdown hooks, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofMinutes(1));
    }

    /**
     * Waits for the child to exit on its own and returns its exit status.
     *
     * @throws AssertionError when it is still running at the deadline, with its output so far
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child JVM " + pid() + " still running after " + timeout
                        + "; output so far: " + output());
            }
            pump.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for child JVM " + pid(), e);
        }
        return process.exitValue();
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void pumpOutput() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the pipe closes when the child dies
        }
    }
}
