package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quilt zstor} commands, run in-process, against six real zdb servers. */
class ZstorCommandIT {
    @TempDir
    Path dir;

    private ZstorBackends backends;
    private Path config;

    @BeforeEach
    void startBackends() throws Exception {
        backends = new ZstorBackends(dir, 7);
        config = backends.writeConfig(dir.resolve("zstor.toml"));
    }

    @AfterEach
    void stopBackends() throws Exception {
        backends.close();
    }

    private QuiltRun zstor(String... args) {
        String[] line = Stream.concat(Stream.of("zstor", "--config", config.toString()), Stream.of(args)).toArray(String[]::new);
        return QuiltRun.of(line);
    }

    private Path randomFile(String name, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void storeThenRetrieveGivesBackTheSameBytes() throws Exception {
        Path original = randomFile("chain.bin", 300_000, 1);
        assertThat(zstor("store", "--file", original.toString(), "--key", "snapshots/chain.bin"))
                .isEqualTo(new QuiltRun(ExitCodes.OK, "stored snapshots/chain.bin (300000 bytes, 4+2 shards)\n", ""));

        Path copy = dir.resolve("out/copy.bin");
        assertThat(zstor("retrieve", "--key", "snapshots/chain.bin", "--file", copy.toString())).isEqualTo(
                new QuiltRun(ExitCodes.OK, "retrieved snapshots/chain.bin to " + copy + " (300000 bytes)\n", ""));
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
        try (Stream<Path> files = Files.list(copy.getParent())) {
            assertThat(files).containsExactly(copy); // no temp file left behind
        }
    }

    @Test
    void withoutAKeyTheAbsolutePathIsTheKeyBothWays() throws Exception {
        Path original = randomFile("a.bin", 1000, 2);
        assertThat(zstor("store", "--file", original.toString()).out())
                .isEqualTo("stored " + original.toAbsolutePath() + " (1000 bytes, 4+2 shards)\n");
        byte[] bytes = Files.readAllBytes(original);
        Files.delete(original);
        assertThat(zstor("retrieve", "--file", original.toString()).exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(Files.readAllBytes(original)).isEqualTo(bytes);
    }

    @Test
    void underARootTheKeyIsRelativeAndAFileOutsideIsRefused() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        config = backends.writeConfig(dir.resolve("rooted.toml"), "root = \"" + root + "\"");
        Path inside = Files.createDirectories(root.resolve("sub")).resolve("f.bin");
        Files.write(inside, new byte[] {1, 2, 3});
        assertThat(zstor("store", "--file", inside.toString()).out()).isEqualTo("stored sub/f.bin (3 bytes, 4+2 shards)\n");

        Path outside = randomFile("outside.bin", 10, 3);
        assertThat(zstor("store", "--file", outside.toString())).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "quilt zstor: " + outside + " is outside the configured root " + root + " (files are stored under their"
                        + " path relative to root: move the file under it, or name the object with --key)\n"));
    }

    @Test
    void aMissingKeyIsOneLineAndLeavesNoFile() throws Exception {
        Path target = dir.resolve("never.bin");
        assertThat(zstor("retrieve", "--key", "nope", "--file", target.toString())).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "quilt zstor: no object stored under key \"nope\"\n"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("never"));
        }
        assertThat(zstor("rm", "--key", "nope")).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "quilt zstor: no object stored under key \"nope\"\n"));
    }

    @Test
    void aBadConfigIsPrintedAsLoadNamesIt() throws Exception {
        Files.writeString(config, Files.readString(config).replace("minimal_shards = 4", "minimal_shards = 4\ndata_shards = 4"));
        QuiltRun run = zstor("ls");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("quilt zstor: " + config + ": data_shards: ").endsWith("\n").hasLineCount(1);

        assertThat(QuiltRun.of("zstor", "--config", dir.resolve("absent.toml").toString(), "ls")).isEqualTo(
                new QuiltRun(ExitCodes.INPUT, "", "quilt zstor: --config: " + dir.resolve("absent.toml") + ": no such file\n"));
    }

    @Test
    void checkExitsNonZeroOnlyWhenSomethingIsNotHealthyAndRebuildRepairsIt() throws Exception {
        zstor("store", "--file", randomFile("x.bin", 200_000, 4).toString(), "--key", "x");
        // Placement hashes the backends' addresses, whose ports differ per run: find one that holds x.
        int holder = backends.holdingShards();
        zstor("store", "--file", randomFile("y.bin", 5_000, 5).toString(), "--key", "y");
        assertThat(zstor("check")).isEqualTo(new QuiltRun(ExitCodes.OK,
                "HEALTHY x\nHEALTHY y\nchecked 2 objects: 2 healthy, 0 degraded, 0 lost\n", ""));

        backends.stop(holder);
        QuiltRun degraded = zstor("check", "--key", "x");
        assertThat(degraded.exitCode()).isEqualTo(ExitCodes.UNHEALTHY);
        assertThat(degraded.out()).startsWith("DEGRADED x: shard ").contains("127.0.0.1:" + backends.port(holder))
                .endsWith("checked 1 object: 0 healthy, 1 degraded, 0 lost\n");

        QuiltRun rebuilt = zstor("rebuild", "--key", "x");
        assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isEqualTo(ExitCodes.OK);
        assertThat(rebuilt.out()).startsWith("HEALTHY x: rewrote shards [");
        assertThat(zstor("check", "--key", "x").exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void lsRmAndStatusDescribeWhatIsStored() throws Exception {
        zstor("store", "--file", randomFile("x.bin", 1234, 6).toString(), "--key", "b/x");
        zstor("store", "--file", randomFile("y.bin", 5, 7).toString(), "--key", "a/y");
        assertThat(zstor("ls").out()).matches("""
                SIZE  SHARDS   GENERATION  KEY
                   5  4\\+2      \\d+\\s+a/y
                1234  4\\+2      \\d+\\s+b/x
                """);
        assertThat(zstor("rm", "--key", "a/y")).isEqualTo(new QuiltRun(ExitCodes.OK, "deleted a/y\n", ""));
        assertThat(zstor("ls").out()).doesNotContain("a/y");

        QuiltRun status = zstor("status");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.OK);
        String[] lines = status.out().split("\n");
        assertThat(lines[0]).matches("BACKEND\\s+ROLE\\s+REACHABLE\\s+USED\\s+FREE\\s+ENTRIES");
        assertThat(lines).hasSize(1 + 7 + 3);
        assertThat(status.out()).contains("127.0.0.1:" + backends.port(0)).contains(" data ").contains(" meta ")
                .doesNotContain(" no ");
    }
}
