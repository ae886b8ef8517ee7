package dev.quilt.bench.fs;

import com.sun.net.httpserver.HttpServer;
import dev.quilt.common.crypto.Sha256;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A chain-like node over a RocksDB database, the process the time-to-healthy benchmark starts: blocks keyed
 * by height, each holding its parent's SHA-256, and a {@code head} key. {@code serve} opens the database,
 * reads the head block and its parent, checks that the head links to the parent, and only then answers
 * {@code GET /health} with 200 and the height, as a chain node's readiness probe does once it can serve its
 * latest block. Like a real node it reads a small part of its data to start: RocksDB's manifest, every table
 * file's footer and index, and the blocks at the tip.
 *
 * <pre>
 *   ChainNode init DIR BLOCKS BLOCK_BYTES     write a chain of BLOCKS incompressible blocks
 *   ChainNode serve DIR PORT                  open it and serve /health on 127.0.0.1:PORT
 * </pre>
 */
public final class ChainNode {
    private static final byte[] HEAD = "head".getBytes(StandardCharsets.US_ASCII);

    private ChainNode() {
    }

    public static void main(String[] args) throws Exception {
        RocksDB.loadLibrary();
        switch (args.length == 4 && args[0].equals("init") ? "init" : args.length == 3 && args[0].equals("serve") ? "serve" : "") {
            case "init" -> init(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "serve" -> serve(args[1], Integer.parseInt(args[2]));
            default -> {
                System.err.println("usage: ChainNode init DIR BLOCKS BLOCK_BYTES | ChainNode serve DIR PORT");
                System.exit(2);
            }
        }
    }

    static byte[] key(long height) {
        return ByteBuffer.allocate(9).put((byte) 'b').putLong(height).array();
    }

    private static void init(String dir, int blocks, int blockBytes) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        try (Options options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.NO_COMPRESSION);
                RocksDB db = RocksDB.open(options, dir);
                WriteOptions write = new WriteOptions().setDisableWAL(true)) {
            byte[] parent = new byte[32];
            for (int h = 0; h < blocks; h += 64) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = h; i < Math.min(blocks, h + 64); i++) {
                        byte[] block = new byte[blockBytes];
                        random.nextBytes(block);
                        System.arraycopy(parent, 0, block, 0, 32);
                        ByteBuffer.wrap(block, 32, 8).putLong(i);
                        batch.put(key(i), block);
                        parent = Sha256.digest(block).bytes();
                    }
                    db.write(write, batch);
                }
            }
            db.put(write, HEAD, ByteBuffer.allocate(8).putLong(blocks - 1).array());
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
            db.compactRange();
        }
    }

    private static void serve(String dir, int port) throws Exception {
        Options options = new Options().setCreateIfMissing(false);
        RocksDB db = RocksDB.open(options, dir);
        long head = ByteBuffer.wrap(db.get(HEAD)).getLong();
        byte[] tip = db.get(key(head));
        byte[] parent = db.get(key(head - 1));
        if (tip == null || parent == null || !Arrays.equals(Arrays.copyOf(tip, 32), Sha256.digest(parent).bytes())
                || ByteBuffer.wrap(tip, 32, 8).getLong() != head) {
            System.err.println("block " + head + " does not link to block " + (head - 1));
            System.exit(1);
        }
        String health = "height " + head + " " + Sha256.digest(tip).hex() + "\n";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/health", exchange -> {
            byte[] body = health.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.print("healthy " + health);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            db.close();
            options.close();
        }));
    }
}
