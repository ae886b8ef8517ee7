package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.Quilt;
import dev.quilt.cli.QuiltRun;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.Commands;
import dev.quilt.testkit.FreePorts;
import dev.quilt.testkit.JavaProcess;
import dev.quilt.zdb.client.ZdbClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quilt zdb} as a real process: it serves, refuses a second instance, and shuts down on SIGTERM. */
class ZdbCommandIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void servesRedisCliUntilSigtermAndKeepsTheDataAcrossRestarts() {
        int port = FreePorts.next();
        try (JavaProcess zdb = startZdb(port)) {
            awaitListening(zdb, port);
            Assumptions.assumeTrue(Commands.which("redis-cli").isPresent(), "redis-cli is not installed (apt-get install redis-tools)");
            assertThat(redisCli(port, "SET", "greeting", "hello").stdout()).isEqualTo("greeting\n");
            assertThat(redisCli(port, "GET", "greeting").stdout()).isEqualTo("hello\n");
            zdb.terminate();
            zdb.awaitExit(PATIENCE);
        }
        try (JavaProcess zdb = startZdb(port);
             ZdbClient client = awaitClient(zdb, port)) {
            assertThat(client.get("greeting")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aSecondInstanceOnTheSameDirectoriesExitsUnavailable() {
        int port = FreePorts.next();
        try (JavaProcess first = startZdb(port)) {
            awaitListening(first, port);
            try (JavaProcess second = startZdb(FreePorts.next())) {
                assertThat(second.awaitExit(PATIENCE)).isEqualTo(ExitCodes.UNAVAILABLE);
                Path data = dir.resolve("data");
                assertThat(second.output()).isEqualTo("error: another zdb is already using " + data
                        + " (lock held on " + data.resolve(".lockfile") + ")\n");
            }
        }
    }

    @Test
    void compactCommandPrintsTheServersSummary() {
        int port = FreePorts.next();
        try (JavaProcess zdb = startZdb(port, "--admin", "secret");
             ZdbClient client = awaitClient(zdb, port)) {
            client.set("k", "1");
            client.set("k", "2");
            QuiltRun refused = QuiltRun.of("zdb", "compact", "--port", Integer.toString(port));
            assertThat(refused).isEqualTo(new QuiltRun(ExitCodes.UNAVAILABLE, "",
                    "error: zdb at 127.0.0.1:" + port + " refused COMPACT: Permission denied\n"));
            QuiltRun done = QuiltRun.of("zdb", "compact", "--port", Integer.toString(port), "--admin", "secret", "default");
            assertThat(done.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(done.out()).startsWith("OK files=");
        }
    }

    private JavaProcess startZdb(int port, String... extra) {
        List<String> args = new ArrayList<>(List.of("zdb", "--listen", "127.0.0.1", "--port", Integer.toString(port),
                "--data", dir.resolve("data").toString(), "--index", dir.resolve("index").toString()));
        args.addAll(List.of(extra));
        return JavaProcess.start(Quilt.class, args);
    }

    private static void awaitListening(JavaProcess zdb, int port) {
        Await.until(() -> zdb.output().contains("zdb listening on 127.0.0.1:" + port) || !zdb.isAlive(), PATIENCE, zdb::output);
        assertThat(zdb.isAlive()).as("zdb is running; output: %s", zdb.output()).isTrue();
    }

    private static ZdbClient awaitClient(JavaProcess zdb, int port) {
        awaitListening(zdb, port);
        return ZdbClient.builder("127.0.0.1", port).build();
    }

    private static Commands.Result redisCli(int port, String... command) {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        return Commands.run(args, PATIENCE);
    }
}
