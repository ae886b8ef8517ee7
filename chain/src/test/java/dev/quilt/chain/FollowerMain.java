package dev.quilt.chain;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A follower process for crash tests: {@code <upstream URL> <genesis file> <data dir> <api port>}.
 * Prints "serving PORT" once its API is up; runs until killed.
 */
public final class FollowerMain {
    private FollowerMain() {}

    public static void main(String[] args) throws Exception {
        Genesis genesis = Genesis.decode(Files.readAllBytes(Path.of(args[1])));
        ChainFollower follower = ChainFollower.start(new ChainFollower.Config(URI.create(args[0]), genesis, Path.of(args[2]),
                Duration.ofMillis(200)));
        ChainHttpApi api = ChainHttpApi.start(follower, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[3])));
        System.out.println("serving " + api.address().getPort());
        Thread.sleep(Long.MAX_VALUE);
    }
}
