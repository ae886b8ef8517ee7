package dev.quilt.chain;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validator process for crash tests:
 * {@code <genesis file> <id> <key number> <data dir> <api port> <peer id=host:port>...}, the key
 * being {@link TestGrid#key(int)} of the number. Prints "serving PORT" once its API is up, then
 * "role leader" or "role follower" whenever its Ratis role changes; runs until killed.
 */
public final class ValidatorMain {
    private ValidatorMain() {}

    public static void main(String[] args) throws Exception {
        Genesis genesis = Genesis.decode(Files.readAllBytes(Path.of(args[0])));
        String id = args[1];
        List<ChainNode.Peer> peers = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            String[] idAndAddress = args[i].split("=", 2);
            String[] hostAndPort = idAndAddress[1].split(":", 2);
            peers.add(new ChainNode.Peer(idAndAddress[0], new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])),
                    false));
        }
        ChainNode node = ChainNode.start(new ChainNode.Config(id, Path.of(args[3]), peers, genesis,
                Optional.of(TestGrid.key(Integer.parseInt(args[2]))), ChainCluster.BLOCK_INTERVAL,
                () -> System.currentTimeMillis() / 1000, ChainCluster.SNAPSHOT_EVERY));
        ChainHttpApi api = ChainHttpApi.start(node, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[4])));
        System.out.println("serving " + api.address().getPort());
        boolean leader = false;
        System.out.println("role follower");
        while (true) {
            if (node.isLeader() != leader) {
                leader = !leader;
                System.out.println(leader ? "role leader" : "role follower");
            }
            Thread.sleep(50);
        }
    }
}
