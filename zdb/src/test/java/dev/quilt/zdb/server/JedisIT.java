package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/** An off-the-shelf Redis client talks to zdb unchanged. */
class JedisIT {

    @TempDir
    Path dir;

    @Test
    void aRedisClientSetsGetsPipelinesAndSeesZdbErrors() throws Exception {
        try (ServerFixture zdb = new ServerFixture(dir).start();
             Jedis jedis = new Jedis(zdb.address().getHostString(), zdb.address().getPort())) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            Object key = jedis.sendCommand(Protocol.Command.SET, "k", "v");
            assertThat(new String((byte[]) key, StandardCharsets.UTF_8)).isEqualTo("k");
            assertThat(jedis.get("k")).isEqualTo("v");
            assertThat(jedis.exists("k")).isTrue();
            assertThat(jedis.dbSize()).isEqualTo(1);
            assertThatThrownBy(() -> jedis.incr("k")).isInstanceOf(JedisDataException.class).hasMessage("Command not supported");
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 100; i++) {
                pipeline.sendCommand(Protocol.Command.SET, "key" + i, "value" + i);
            }
            List<Object> replies = pipeline.syncAndReturnAll();
            assertThat(replies).hasSize(100);
            assertThat(new String((byte[]) replies.get(99), StandardCharsets.UTF_8)).isEqualTo("key99");
            assertThat(jedis.get("key42")).isEqualTo("value42");
        }
    }
}
