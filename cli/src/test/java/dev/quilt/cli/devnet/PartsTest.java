package dev.quilt.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.Resources;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a devnet deals the machine out to its node agents, and that each agent is told its share. */
class PartsTest {
    private static final long GIB = Resources.GIB;

    private static List<Resources> shares(Resources machine, int agents) {
        return IntStream.range(0, agents).mapToObj(i -> Parts.share(machine, agents, i)).toList();
    }

    @Test
    void cpusAreDealtOutWholeAndAddUpToTheMachine() {
        Resources machine = new Resources(8, 48 * GIB, 900 * GIB, 0);
        List<Resources> three = shares(machine, 3);
        assertThat(three).extracting(Resources::cru).containsExactly(3L, 3L, 2L);
        assertThat(three.stream().mapToLong(Resources::cru).sum()).isEqualTo(8);
        assertThat(three).extracting(Resources::mru).containsOnly(16 * GIB);
        assertThat(three).extracting(Resources::sru).containsOnly(300 * GIB);
        assertThat(shares(machine, 1)).containsExactly(machine);
    }

    @Test
    void aShareNeverGoesBelowTheLedgersSmallestNode() {
        List<Resources> shares = shares(new Resources(2, 4 * GIB, 150 * GIB, 0), 3);
        assertThat(shares).extracting(Resources::cru).containsExactly(1L, 1L, 1L);
        assertThat(shares).extracting(Resources::mru).containsOnly(2 * GIB);
        assertThat(shares).extracting(Resources::sru).containsOnly(100 * GIB);
    }

    @Test
    void eachAgentIsStartedWithItsShare() {
        DevnetConfig config = new DevnetConfig("quilt-devnet", 8545, List.of(9000), List.of(new DevnetConfig.Farm("f", "BE")),
                List.of(new DevnetConfig.NodeSpec("node-1", 0, 8555, 9900)));
        List<String> command = Parts.node(new DevnetLayout(java.nio.file.Path.of("/tmp/devnet")), config, config.nodes().get(0), 1,
                new Resources(3, 16 * GIB, 300 * GIB, 0)).command();
        String args = String.join(" ", command);
        assertThat(args).contains("--cpus 3 --memory " + 16 * GIB + " --disk " + 300 * GIB);
    }
}
