package dev.quilt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quilt zstor} without backends: help, argument errors and the hook's answers without a daemon. */
class ZstorCommandTest {
    @TempDir
    Path dir;

    private Path config(String... hostKeys) throws Exception {
        StringBuilder toml = new StringBuilder("minimal_shards = 1\nexpected_shards = 2\n");
        for (String line : hostKeys) {
            toml.append(line).append('\n');
        }
        toml.append("[encryption]\nalgorithm = \"AES\"\nkey = \"").append("ab".repeat(32)).append("\"\n");
        toml.append("[meta]\ntype = \"zdb\"\n[meta.config]\nprefix = \"t\"\n");
        for (int i = 1; i <= 3; i++) {
            toml.append("[[meta.config.backends]]\naddress = \"127.0.0.1:").append(i).append("\"\n");
        }
        toml.append("[[groups]]\n[[groups.backends]]\naddress = \"127.0.0.1:4\"\n[[groups.backends]]\naddress = \"127.0.0.1:5\"\n");
        Path file = dir.resolve("zstor.toml");
        Files.writeString(file, toml);
        return file;
    }

    @Test
    void helpListsEveryCommand() {
        QuiltRun run = QuiltRun.of("zstor", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("Usage: quilt zstor [-hVv] [--no-daemon] [--stacktrace] -c=FILE [COMMAND]\n");
        for (String command : new String[] {"store", "retrieve", "check", "rebuild", "status", "ls", "rm", "daemon", "hook"}) {
            // One full sentence per command in the list, never a summary cut mid-sentence.
            assertThat(run.out()).containsPattern("\n  " + command + " +\\S[^\n]*[.:]\n");
        }
        assertThat(run.out().substring(run.out().indexOf("Commands:"))).doesNotContainPattern("\n {6,}\\S");
        assertThat(QuiltRun.of("--help").out())
                .containsPattern("\n  zstor +Store files encrypted and erasure-coded over many zdbs; check, repair, run the daemon.\n");
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        String file = config().toString();
        for (String command : new String[] {"store", "retrieve", "check", "rebuild", "status", "ls", "rm", "daemon", "hook"}) {
            QuiltRun run = QuiltRun.of("zstor", "--config", file, command, "--help");
            assertThat(run.exitCode()).as(command).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).as(command).startsWith("Usage: quilt zstor " + command);
            assertThat(QuiltRun.of("zstor", "--config", file, command, "--version").out()).as(command).startsWith("quilt ");
        }
    }

    @Test
    void usageErrorsCarryTheZstorPrefix() throws Exception {
        assertThat(QuiltRun.of("zstor", "--config", config().toString(), "store")).isEqualTo(new QuiltRun(ExitCodes.USAGE, "",
                "quilt zstor: Missing required option: '--file=PATH'\nSee 'quilt zstor store --help'.\n"));
        assertThat(QuiltRun.of("zstor", "ls").err()).startsWith("quilt zstor: Missing required option: '--config=FILE'\n");
    }

    @Test
    void storeOfAMissingFileNamesIt() throws Exception {
        Path absent = dir.resolve("absent.bin");
        assertThat(QuiltRun.of("zstor", "--config", config().toString(), "store", "--file", absent.toString()))
                .isEqualTo(new QuiltRun(ExitCodes.INPUT, "", "quilt zstor: --file: " + absent + ": no such file\n"));
    }

    @Test
    void hookNeedsASocketInTheConfig() throws Exception {
        assertThat(QuiltRun.of("zstor", "--config", config().toString(), "hook", "ready", "tcp://127.0.0.1:9900"))
                .isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                        "quilt zstor: the config has no socket: set socket = \"/run/zstor.sock\" (the daemon listens there)\n"));
    }

    @Test
    void hookEventsTheDaemonDoesNotNeedSucceedWithoutIt() throws Exception {
        Path socket = dir.resolve("absent.sock");
        String file = config("socket = \"" + socket + "\"").toString();
        assertThat(QuiltRun.of("zstor", "--config", file, "hook", "namespace-created", "tcp://127.0.0.1:9900", "ns"))
                .isEqualTo(new QuiltRun(ExitCodes.OK, "", ""));
        QuiltRun missing = QuiltRun.of("zstor", "--config", file, "hook", "missing-data", "tcp://127.0.0.1:9900", "/d/default/d0");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("quilt zstor: hook missing-data: cannot reach the zstor daemon on " + socket);
    }

    @Test
    void daemonFlagsAreCheckedBeforeAnythingStarts() throws Exception {
        String file = config().toString();
        assertThat(QuiltRun.of("zstor", "--config", file, "daemon", "--pause", "soon").err()).isEqualTo(
                "quilt zstor: --pause: 'soon' is not a duration (expected: a number with ms, s, m or h, e.g. 500ms or 10m)\n");
        assertThat(QuiltRun.of("zstor", "--config", file, "daemon", "--scrub-rate", "fast").exitCode()).isEqualTo(ExitCodes.INPUT);
        String offloading = config("zdb_data_dir_path = \"" + dir.resolve("data") + "\"").toString();
        assertThat(QuiltRun.of("zstor", "--config", offloading, "daemon").err()).isEqualTo("quilt zstor: zdb_data_dir_path is set"
                + " but no control socket: set socket in the config or give --socket, so zdb's hook can reach the daemon\n");
    }
}
