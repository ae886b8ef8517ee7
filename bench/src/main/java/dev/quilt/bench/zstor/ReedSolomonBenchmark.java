package dev.quilt.bench.zstor;

import dev.quilt.zstor.erasure.ErasureCoder;
import dev.quilt.zstor.erasure.ErasureCoder.Kernel;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.io.erasurecode.ErasureCoderOptions;
import org.apache.hadoop.io.erasurecode.rawcoder.RSRawDecoder;
import org.apache.hadoop.io.erasurecode.rawcoder.RSRawEncoder;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reed-Solomon encode and decode of one stripe of 1 MiB shards on one thread: zstor's coder with the
 * kernel chosen for this CPU ({@code preferred}) and with the scalar kernel, against Hadoop's pure-Java
 * {@code RSRawEncoder}/{@code RSRawDecoder} (same field, same Cauchy matrix, so the same parity bytes).
 * ISA-L, the C peer, is run next to this by {@code bench/scripts/rs-vs-isal.sh}.
 *
 * <p>One operation codes one stripe: encode reads k data shards and writes m parity shards; decode loses
 * data shards 0 and 1, reads k survivors and writes the two lost shards (the decode matrix is cached by
 * both coders, so this is the steady state of a degraded read). Throughput in GB/s of data is
 * {@code ops/s × k × 1,048,576 / 10^9}.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package -DskipTests
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/bench.jar ReedSolomonBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * Add {@code -p coder=vector128,vector256,vector512} to compare vector widths.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class ReedSolomonBenchmark {

  /** k+m. */
  @Param({"4+2", "10+5", "16+4"})
  public String geometry;

  /** {@code preferred}, {@code scalar}, {@code vector128}, {@code vector256}, {@code vector512} or {@code hadoop}. */
  @Param({"preferred", "scalar", "hadoop"})
  public String coder;

  /** Bytes per shard. */
  @Param("1048576")
  public int shardBytes;

  /**
   * Where the coded range starts in each shard array; zstor's coders only. A byte[]'s elements start 16
   * bytes into the object, so 0 leaves a 1 MiB array (a G1 humongous object, region-aligned) 16 bytes past
   * a 64-byte line, and 48 lines it up, as ISA-L's harness does with posix_memalign.
   */
  @Param("0")
  public int offset;

  private Codec codec;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String[] km = geometry.split("\\+");
    int k = Integer.parseInt(km[0]);
    int m = Integer.parseInt(km[1]);
    byte[][] shards = new byte[k + m][offset + shardBytes];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < k; i++) {
      random.nextBytes(shards[i]);
    }
    codec = switch (coder) {
      case "hadoop" -> new HadoopCodec(k, m, shards);
      case "preferred" -> new QuiltCodec(ErasureCoder.reedSolomon(k, m), shards, offset, shardBytes);
      case "scalar" -> new QuiltCodec(ErasureCoder.reedSolomon(k, m, Kernel.SCALAR), shards, offset, shardBytes);
      case "vector128" -> new QuiltCodec(ErasureCoder.reedSolomon(k, m, Kernel.VECTOR_128), shards, offset, shardBytes);
      case "vector256" -> new QuiltCodec(ErasureCoder.reedSolomon(k, m, Kernel.VECTOR_256), shards, offset, shardBytes);
      case "vector512" -> new QuiltCodec(ErasureCoder.reedSolomon(k, m, Kernel.VECTOR_512), shards, offset, shardBytes);
      default -> throw new IllegalArgumentException("coder: " + coder
          + " (expected: preferred, scalar, vector128, vector256, vector512 or hadoop)");
    };
    codec.encode();
  }

  @Benchmark
  public Object encode() throws IOException {
    return codec.encode();
  }

  @Benchmark
  public Object decode() throws IOException {
    return codec.decode();
  }

  private interface Codec {
    Object encode() throws IOException;

    Object decode() throws IOException;
  }

  private static final class QuiltCodec implements Codec {
    private final ErasureCoder coder;
    private final byte[][] shards;
    private final byte[][] data;
    private final byte[][] parity;
    private final boolean[] present;
    private final int offset;
    private final int length;

    QuiltCodec(ErasureCoder coder, byte[][] shards, int offset, int length) {
      int k = coder.dataShards();
      this.coder = coder;
      this.offset = offset;
      this.length = length;
      this.shards = shards;
      this.data = Arrays.copyOfRange(shards, 0, k);
      this.parity = Arrays.copyOfRange(shards, k, shards.length);
      this.present = new boolean[shards.length];
      Arrays.fill(present, true);
      present[0] = false;
      present[1] = false;
    }

    @Override
    public Object encode() {
      coder.encode(data, parity, offset, length);
      return parity;
    }

    @Override
    public Object decode() {
      coder.reconstruct(shards, present, offset, length);
      return shards;
    }
  }

  private static final class HadoopCodec implements Codec {
    private final RSRawEncoder encoder;
    private final RSRawDecoder decoder;
    private final byte[][] data;
    private final byte[][] parity;
    private final byte[][] survivors;
    private final int[] erased = {0, 1};
    private final byte[][] rebuilt;

    HadoopCodec(int k, int m, byte[][] shards) {
      ErasureCoderOptions options = new ErasureCoderOptions(k, m);
      this.encoder = new RSRawEncoder(options);
      this.decoder = new RSRawDecoder(options);
      this.data = Arrays.copyOfRange(shards, 0, k);
      this.parity = Arrays.copyOfRange(shards, k, shards.length);
      this.survivors = shards.clone();
      survivors[0] = null;
      survivors[1] = null;
      this.rebuilt = new byte[2][shards[0].length];
    }

    @Override
    public Object encode() throws IOException {
      encoder.encode(data, parity);
      return parity;
    }

    @Override
    public Object decode() throws IOException {
      decoder.decode(survivors.clone(), erased, rebuilt);
      return rebuilt;
    }
  }
}
