package dev.quilt.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test against a devnet fails, prints the end of every devnet log to stderr before the devnet is purged, so
 * a failure seen once on CI can be read afterwards.
 */
final class DevnetLogs implements TestWatcher {

    private static final int TAIL_LINES = 60;

    private final Supplier<Path> quiltHome;

    /** Watches the devnet under the quilt home {@code quiltHome} gives once a test has failed. */
    DevnetLogs(Supplier<Path> quiltHome) {
        this.quiltHome = quiltHome;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Path home = quiltHome.get();
        if (home != null) {
            printTails(home.resolve("devnet"), context.getDisplayName());
        }
    }

    /** Prints the last lines of each log of the devnet in {@code devnetDir}; never fails. */
    static void printTails(Path devnetDir, String why) {
        Path logs = devnetDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            System.err.println("devnet logs: none under " + logs + " (" + why + ")");
            return;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(logs)) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            System.err.println("devnet logs: could not list " + logs + ": " + e);
            return;
        }
        for (Path log : files) {
            try {
                List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
                System.err.printf("---- %s, last %d of %d lines (%s) ----%n", log.getFileName(),
                        Math.min(TAIL_LINES, lines.size()), lines.size(), why);
                lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(System.err::println);
            } catch (IOException e) {
                System.err.println("devnet logs: could not read " + log + ": " + e);
            }
        }
    }
}
