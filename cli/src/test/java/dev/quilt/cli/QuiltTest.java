package dev.quilt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuiltTest {
    @Test
    void helpListsGlobalOptionsAndTheCommands() {
        QuiltRun run = QuiltRun.of("--help");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("""
                Usage: quilt [-hVv] [--stacktrace] [COMMAND]
                Run layer-1 blockchain nodes on community-owned hardware.
                """);
        assertThat(run.out()).contains("  -v                 More log output on stderr: -v info, -vv debug, -vvv libraries too.\n");
        assertThat(run.out()).containsPattern(
                "\n  zstor +Store files encrypted and erasure-coded over many zdbs; check, repair, run the daemon.\n");
        assertThat(run.out()).containsPattern("\n  chain +Create and run the grid ledger: a validator or a full node.\n");
        assertThat(run.out()).containsPattern("\n  node +Run the agent that offers this machine's capacity to the grid.\n");
        assertThat(run.out()).containsPattern("\n  identity +Create and show the Ed25519 keys that sign transactions.\n");
        assertThat(run.out()).containsPattern("\n  zdb +Run zdb, an always-append key-value server wire-compatible with 0-db.\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void versionPrintsTheBuildVersion() {
        QuiltRun run = QuiltRun.of("--version");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).matches("quilt \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    }

    @Test
    void unknownFlagIsAUsageErrorOnOneLineWithAPointerToHelp() {
        assertThat(QuiltRun.of("--bogus")).isEqualTo(new QuiltRun(ExitCodes.USAGE, "", """
                error: Unknown option: '--bogus'
                See 'quilt --help'.
                """));
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(QuiltRun.of()).isEqualTo(new QuiltRun(ExitCodes.USAGE, "", """
                error: Missing required subcommand
                See 'quilt --help'.
                """));
    }

    @Test
    void verbosityIsAcceptedBeforeAndAfterTheSubcommand() {
        assertThat(QuiltRun.of("-vv", "zdb", "--help").exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(QuiltRun.of("zdb", "-v", "--help").exitCode()).isEqualTo(ExitCodes.OK);
    }
}
