package dev.quilt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void stdinReachesTheProgramAndStdoutComesBack() {
        Commands.Result result = Commands.run(List.of("cat"), "hello\n".getBytes(StandardCharsets.UTF_8), PATIENCE);
        assertThat(result).isEqualTo(new Commands.Result(0, "hello\n", ""));
    }

    @Test
    void stderrAndExitCodeAreCapturedSeparately() {
        Commands.Result result = Commands.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), PATIENCE);
        assertThat(result).isEqualTo(new Commands.Result(3, "out\n", "err\n"));
    }

    @Test
    void aProgramThatHangsIsKilledAndFailsTheTest() {
        assertThatThrownBy(() -> Commands.run(List.of("sh", "-c", "echo before; exec sleep 60"), Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("still running")
                .hasMessageContaining("before");
    }

    @Test
    void whichFindsProgramsOnThePath() {
        assertThat(Commands.which("sh")).isPresent();
        assertThat(Commands.which("no-such-program-anywhere")).isEmpty();
    }
}
