package dev.quilt.zdb.it;

import dev.quilt.testkit.Await;
import dev.quilt.testkit.Commands;
import dev.quilt.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away {@code redis-server} on loopback, no persistence, for client tests of the commands zdb and
 * Redis share (PING, GET, MGET, EXISTS, DBSIZE, AUTH, error replies, pipelining). Skips the test when
 * redis-server is not installed ({@code .ci/run} installs it).
 */
final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisServerProcess start(Path dir, String... extraArgs) {
        Assumptions.assumeTrue(Commands.which("redis-server").isPresent(),
                "redis-server is not installed (apt-get install redis-server)");
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(List.of(extraArgs));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServerProcess server = new RedisServerProcess(process, port);
        Await.until(server::accepts, Duration.ofSeconds(30), () -> "redis-server on port " + port + " alive="
                + process.isAlive() + " log: " + read(dir.resolve("redis.log")));
        return server;
    }

    int port() {
        return port;
    }

    private boolean accepts() {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
