package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.Quilt;
import dev.quilt.cli.QuiltRun;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quilt zstor daemon} in its own JVM over seven real zdb servers: its pid file, {@code store},
 * {@code retrieve} and {@code status} going through its control socket (and directly once it is gone), and
 * a config reload on SIGUSR1 that picks up a new backend and refuses a broken config.
 *
 * <p>The daemon's config keeps its metadata under another prefix than the command line's, so an object is
 * visible to the command line only through the daemon: that is how the test knows which path a command took.
 */
class ZstorDaemonControlIT {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theCommandLineGoesThroughTheDaemonWhichReloadsItsConfigOnSigusr1() throws Exception {
        try (ZstorBackends backends = new ZstorBackends(dir, 7)) {
            Path socket = dir.resolve("run/zstor.sock");
            Path pidFile = dir.resolve("run/zstor.pid");
            Path cli = backends.writeConfig(dir.resolve("cli.toml"), "socket = \"" + socket + "\"");
            String full = Files.readString(backends.writeConfig(dir.resolve("full.toml"),
                    "socket = \"" + socket + "\"", "pid_file = \"" + pidFile + "\"")).replace("prefix = \"it\"",
                    "prefix = \"daemon\"");
            String spare = "127.0.0.1:" + backends.port(6);
            String withoutSpare = full.replace("[[groups.backends]]\naddress = \"" + spare + "\"\n", "");
            assertThat(withoutSpare).isNotEqualTo(full);
            Path daemonConfig = Files.writeString(dir.resolve("daemon.toml"), withoutSpare);

            try (JavaProcess daemon = JavaProcess.start(Quilt.class,
                    List.of("-v", "zstor", "--config", daemonConfig.toString(), "daemon"))) {
                Await.until(() -> daemon.output().contains("zstor daemon running") || !daemon.isAlive(), PATIENCE,
                        daemon::output);
                assertThat(Files.readString(pidFile)).isEqualTo(daemon.pid() + "\n");

                Path original = randomFile("a.bin", 200_000);
                assertThat(zstor(cli, "store", "--file", original.toString(), "--key", "k").out())
                        .isEqualTo("stored k (200000 bytes, 4+2 shards)\n");
                Path copy = dir.resolve("copy.bin");
                assertThat(zstor(cli, "retrieve", "--key", "k", "--file", copy.toString()).exitCode())
                        .isEqualTo(ExitCodes.OK);
                assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
                assertThat(zstor(cli, "--no-daemon", "retrieve", "--key", "k", "--file", copy.toString()).exitCode())
                        .as("stored by the daemon, under its prefix").isEqualTo(ExitCodes.INPUT);
                assertThat(zstor(cli, "retrieve", "--key", "absent", "--file", copy.toString()))
                        .isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                                "quilt zstor: no object stored under key \"absent\"\n"));
                assertThat(zstor(cli, "status").out()).doesNotContain(spare);
                assertThat(zstor(cli, "--no-daemon", "status").out()).contains(spare);

                Files.writeString(daemonConfig, full);
                signal(daemon, "USR1");
                Await.until(() -> zstor(cli, "status").out().contains(spare), PATIENCE,
                        () -> "the daemon did not pick up the new backend:\n" + daemon.output());

                Files.writeString(daemonConfig, full.replace("expected_shards = 6", "expected_shards = 60"));
                signal(daemon, "USR1");
                Await.until(() -> daemon.output().contains("event=config_reload_refused"), PATIENCE, daemon::output);
                assertThat(daemon.output()).contains("expected_shards");
                assertThat(zstor(cli, "status").out()).contains(spare);
                assertThat(zstor(cli, "retrieve", "--key", "k", "--file", copy.toString()).exitCode())
                        .isEqualTo(ExitCodes.OK);

                daemon.terminate();
                int exit = daemon.awaitExit(PATIENCE);
                assertThat(daemon.output()).as("exit %d", exit).contains("zstor daemon stopped");
            }
            assertThat(pidFile).doesNotExist();
            assertThat(socket).doesNotExist();
            Path other = randomFile("b.bin", 1000);
            assertThat(zstor(cli, "store", "--file", other.toString(), "--key", "direct").exitCode())
                    .isEqualTo(ExitCodes.OK);
            assertThat(zstor(cli, "--no-daemon", "retrieve", "--key", "direct", "--file", dir.resolve("d").toString())
                    .exitCode()).isEqualTo(ExitCodes.OK);
        }
    }

    private static QuiltRun zstor(Path config, String... args) {
        return QuiltRun.of(Stream.concat(Stream.of("zstor", "--config", config.toString()), Stream.of(args))
                .toArray(String[]::new));
    }

    private Path randomFile(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private static void signal(JavaProcess process, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }
}
