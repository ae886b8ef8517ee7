package dev.quilt.zdb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's redis-cli, an independent client, against a real zdb over a real socket. */
class RedisCliCompatIT {

    @TempDir
    Path dir;
    private ZdbServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")), "redis-cli is not installed (apt-get install redis-tools)");
        StoreConfig store = new StoreConfig(dir.resolve("data"), dir.resolve("index"), Optional.empty(),
                StoreConfig.MIN_DATA_FILE_SIZE, false, java.time.Duration.ZERO, 0);
        server = ZdbServer.start(new ZdbServerConfig(store, Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty()));
        port = server.address().orElseThrow().getPort();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private String cli(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        return out.strip();
    }

    @Test
    void basicCommandsAnswerAsZeroDbDoes() throws Exception {
        assertThat(cli(null, "PING")).isEqualTo("PONG");
        assertThat(cli(null, "SET", "hello", "world")).isEqualTo("hello");
        assertThat(cli(null, "SET", "hello", "world")).as("identical value is not rewritten").isEmpty();
        assertThat(cli(null, "GET", "hello")).isEqualTo("world");
        assertThat(cli(null, "EXISTS", "hello")).isEqualTo("1");
        assertThat(cli(null, "LENGTH", "hello")).isEqualTo("5");
        assertThat(cli(null, "DBSIZE")).isEqualTo("1");
        assertThat(cli(null, "DEL", "hello")).isEqualTo("OK");
        assertThat(cli(null, "DEL", "hello")).isEqualTo("Key not found");
        assertThat(cli(null, "GET", "hello")).isEmpty();
        assertThat(cli(null, "INCR", "x")).isEqualTo("Command not supported");
        assertThat(cli(null, "INFO")).contains("# server\nserver_name: ", "\n# clients\n");
    }

    @Test
    void namespacesWithPasswordsThroughTheCli() throws Exception {
        assertThat(cli(null, "NSNEW", "secret")).isEqualTo("OK");
        assertThat(cli(null, "NSSET", "secret", "password", "pw")).isEqualTo("OK");
        assertThat(cli(null, "NSSET", "secret", "public", "0")).isEqualTo("OK");
        assertThat(cli(null, "NSLIST")).isEqualTo("default\nsecret");
        // one connection: redis-cli reads commands from stdin when given none
        assertThat(cli("SELECT secret\nSELECT secret pw\nSET k v\nGET k\nDBSIZE\n"))
                .as("in stdin mode redis-cli prints an empty line after an error")
                .isEqualTo("Namespace protected and private\n\nOK\nk\nv\n1");
        assertThat(cli(null, "NSINFO", "secret")).contains("name: secret", "entries: 1", "password: yes", "public: no");
    }

    @Test
    void massInsertionThroughPipeModeAnswersEveryCommand() throws Exception {
        StringBuilder proto = new StringBuilder();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String k = "key:" + i;
            String v = "value-" + i + "-" + "x".repeat(i % 200);
            proto.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k)
                    .append("\r\n$").append(v.length()).append("\r\n").append(v).append("\r\n");
        }
        String report = cli(proto.toString(), "--pipe");
        assertThat(report).contains("errors: 0, replies: " + n);
        assertThat(cli(null, "DBSIZE")).isEqualTo(Integer.toString(n));
        assertThat(cli(null, "GET", "key:12345")).isEqualTo("value-12345-" + "x".repeat(12345 % 200));
    }
}
