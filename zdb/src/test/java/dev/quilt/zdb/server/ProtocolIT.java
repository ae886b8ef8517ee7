package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolIT {

    @TempDir
    Path dir;
    ServerFixture zdb;

    @BeforeEach
    void start() throws Exception {
        zdb = new ServerFixture(dir).start();
    }

    @AfterEach
    void stop() throws Exception {
        zdb.close();
    }

    @Test
    void answersPingWithPongIgnoringExtraArguments() throws Exception {
        RawClient c = zdb.client();
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        assertThat(c.call("ping", "extra", "args")).isEqualTo("+PONG\r\n");
    }

    @Test
    void matchesCommandNamesByCaseInsensitivePrefixInTableOrder() throws Exception {
        RawClient c = zdb.client();
        assertThat(c.call("S", "k", "v")).isEqualTo("$1\r\nk\r\n");
        assertThat(c.call("g", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(c.call("M")).isEqualTo("-Replication is not supported by this server\r\n");
        assertThat(c.call("D", "RAW", "0", "0")).isEqualTo("-Unexpected Internal Error\r\n");
        assertThat(c.call("DBS")).isEqualTo(":1\r\n");
        assertThat(c.call("pingx")).isEqualTo("-Command not supported\r\n");
    }

    @Test
    void refusesRedisCommandsZdbDoesNotHave() throws Exception {
        RawClient c = zdb.client();
        for (String name : new String[] {"CONFIG", "FLUSHALL", "INCR", "MSET", "EXPIRE", "QUIT", "HELLO", "CLIENT", "COMMAND"}) {
            assertThat(c.call(name, "x")).as(name).isEqualTo("-Command not supported\r\n");
        }
        assertThat(c.call("*")).isEqualTo("-This is not a valid command\r\n");
        assertThat(c.call("STOP")).isEqualTo("-Unauthorized\r\n");
    }

    @Test
    void answersAnInlineCommandWithAnErrorAndClosesTheConnection() throws Exception {
        RawClient c = zdb.client();
        c.sendRaw("PING\r\n");
        assertThat(c.reply()).isEqualTo("-Malformed request, array expected\r\n");
        assertThat(c.closedByServer()).isTrue();
        assertThat(zdb.client().call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void answersAnEmptyArrayWithMissingArgumentsAndKeepsServing() throws Exception {
        RawClient c = zdb.client();
        c.sendRaw("*0\r\n");
        assertThat(c.reply()).isEqualTo("-Missing arguments\r\n");
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void refusesAPayloadOver8MiBFromItsHeaderAndCloses() throws Exception {
        RawClient c = zdb.client();
        c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$8388609\r\n");
        assertThat(c.reply()).isEqualTo("-Payload too big\r\n");
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void storesAValueOfExactly8MiB() throws Exception {
        RawClient c = zdb.client();
        byte[] value = new byte[8 * 1024 * 1024];
        new Random(1).nextBytes(value);
        assertThat(c.call("SET", "big", value)).isEqualTo("$3\r\nbig\r\n");
        assertThat(c.call("LENGTH", "big")).isEqualTo(":8388608\r\n");
    }

    @Test
    void refuses2000ArgumentsAndKeepsServingTheConnection() throws Exception {
        RawClient c = zdb.client();
        Object[] args = new Object[2000];
        args[0] = "MGET";
        for (int i = 1; i < args.length; i++) {
            args[i] = "k" + i;
        }
        assertThat(c.call(args)).isEqualTo("-Too many arguments\r\n");
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void refusesAnElementThatIsNotABulkString() throws Exception {
        RawClient c = zdb.client();
        c.sendRaw("*2\r\n$3\r\nGET\r\n:12\r\n");
        assertThat(c.reply()).isEqualTo("-Malformed query string\r\n");
    }

    @Test
    void survivesBinaryGarbageAndKeepsServingOtherClients() throws Exception {
        RawClient other = zdb.client();
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            RawClient c = zdb.client();
            byte[] garbage = new byte[1 + random.nextInt(2000)];
            random.nextBytes(garbage);
            if (i % 2 == 0) {
                garbage[0] = '*';
            }
            c.sendRaw(garbage);
            c.close();
        }
        assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
        assertThat(zdb.client().call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void forgetsARequestWhoseClientDisconnectedMidValue() throws Exception {
        RawClient c = zdb.client();
        c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nonly-part-of-it");
        c.abort();
        RawClient other = zdb.client();
        assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
        assertThat(other.call("DBSIZE")).isEqualTo(":0\r\n");
    }

    @Test
    void answersOneHundredPipelinedCommandsInOrder() throws Exception {
        RawClient c = zdb.client();
        StringBuilder batch = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String key = "key" + i;
            String value = "value" + i;
            batch.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$")
                    .append(value.length()).append("\r\n").append(value).append("\r\n");
            batch.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
            expected.append('$').append(key.length()).append("\r\n").append(key).append("\r\n");
            expected.append('$').append(value.length()).append("\r\n").append(value).append("\r\n");
        }
        c.sendRaw(batch.toString());
        StringBuilder actual = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            actual.append(c.reply());
        }
        assertThat(actual.toString()).isEqualTo(expected.toString());
    }

    @Test
    void answersABinaryKeyWithItsExactBytes() throws Exception {
        RawClient c = zdb.client();
        byte[] key = {0, 1, '\r', '\n', (byte) 0xff};
        assertThat(c.replyBytesOf("SET", key, "v")).isEqualTo(concat("$5\r\n", key, "\r\n"));
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }
}
