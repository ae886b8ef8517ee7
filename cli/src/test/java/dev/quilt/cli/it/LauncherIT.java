package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.testkit.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code ./quilt} launcher at the repository root runs the packaged jar. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("quilt");
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Test
    void launcherPrintsTheVersionOfThePackagedJar() {
        assertThat(Files.isExecutable(LAUNCHER)).as("%s is executable", LAUNCHER).isTrue();
        Commands.Result result = Commands.run(List.of(LAUNCHER.toString(), "--version"), PATIENCE);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(result.stdout()).matches("quilt \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    }

    @Test
    void launcherPassesArgumentsAndTheExitCodeThrough() {
        Commands.Result result = Commands.run(List.of(LAUNCHER.toString(), "zdb", "--protect"), PATIENCE);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.stderr()).endsWith("error: --protect needs --admin: the admin password is what unlocks the default namespace\n");
    }
}
