package dev.quilt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCommandTest {
    @TempDir
    Path dir;

    @Test
    void runNeedsItsChainGenesisKeyAndFarm() {
        QuiltRun run = QuiltRun.of("node", "run");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("error: Missing required options: '--chain=URL', '--genesis=FILE', '--key=FILE', '--farm=ID'");
    }

    @Test
    void aFileThatIsNotAGenesisIsAOneLineError() throws Exception {
        Path notGenesis = Files.writeString(dir.resolve("g.bin"), "nope");
        QuiltRun run = QuiltRun.of("node", "run", "--chain", "http://127.0.0.1:1", "--genesis", notGenesis.toString(),
                "--key", dir.resolve("k").toString(), "--farm", "1", "--data", dir.resolve("data").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).startsWith("error: --genesis: " + notGenesis + " is not a genesis file: ");
    }
}
