package dev.quilt.bench.zdb;

import dev.quilt.zdb.resp.RespDecoder;
import dev.quilt.zdb.resp.RespProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a pipelined batch of 16 {@code SET key value} requests into argument lists: zdb's request
 * decoder against Netty's codec-redis ({@code RedisDecoder} + bulk and array aggregators), the peer a
 * Netty-based Redis server would use.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package -pl bench -am
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/bench.jar RespDecoderBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RespDecoderBenchmark {

    private static final int BATCH = 16;

    @Param({"100", "4096"})
    int valueSize;

    private ByteBuf batch;
    private final RespDecoder ours = new RespDecoder();
    private EmbeddedChannel netty;

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder s = new StringBuilder();
        String value = "v".repeat(valueSize);
        for (int i = 0; i < BATCH; i++) {
            String key = "key:" + (100000000 + i);
            s.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$")
                    .append(value.length()).append("\r\n").append(value).append("\r\n");
        }
        batch = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(s.toString().getBytes(StandardCharsets.US_ASCII)));
        netty = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator());
    }

    @Benchmark
    public int zdbDecoder() throws RespProtocolException {
        ByteBuf in = batch.duplicate();
        int args = 0;
        for (List<byte[]> request; (request = ours.decode(in)) != null; ) {
            args += request.size();
        }
        return args;
    }

    @Benchmark
    public int nettyCodecRedis() {
        netty.writeInbound(batch.retainedDuplicate());
        int args = 0;
        for (Object m; (m = netty.readInbound()) != null; ) {
            args += ((ArrayRedisMessage) m).children().size();
            ReferenceCountUtil.release(m);
        }
        return args;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        netty.finishAndReleaseAll();
    }
}
