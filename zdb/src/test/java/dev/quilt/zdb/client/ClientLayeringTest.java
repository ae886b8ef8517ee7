package dev.quilt.zdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client stands alone: it may be split into its own artifact, so it imports nothing from zdb's
 * server side (store, server, command) nor the server's RESP codec.
 */
class ClientLayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/quilt/zdb/client");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import\\s+(static\\s+)?dev\\.quilt\\.zdb\\.(store|server|command|resp)\\b.*|^import\\s+dev\\.quilt\\.zdb\\.[A-Z].*");

    @Test
    void clientSourcesImportNothingFromTheServerSide() throws IOException {
        List<String> violations;
        try (Stream<Path> files = Files.list(SOURCES)) {
            violations = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(ClientLayeringTest::lines)
                    .filter(line -> FORBIDDEN.matcher(line.substring(line.indexOf(": ") + 2).strip()).matches())
                    .toList();
        }
        assertThat(violations).isEmpty();
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(line -> file.getFileName() + ": " + line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
