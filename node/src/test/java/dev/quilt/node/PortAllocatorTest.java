package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host ports for workloads: stable across restarts of the allocator, apart between agents, skipping busy ports. */
class PortAllocatorTest {
    static final Workload.Port WEB = new Workload.Port("web", Workload.Protocol.TCP);
    static final Workload.Port GOSSIP = new Workload.Port("gossip", Workload.Protocol.UDP);

    @TempDir
    Path dir;

    /** A range of {@code size} ports that nothing on this machine listens on right now. */
    static NodeConfig.PortRange freeRange(int size) throws Exception {
        for (int low = 41000; low < 60000; low += size) {
            boolean free = true;
            for (int p = low; p < low + size && free; p++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(p));
                } catch (java.io.IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return new NodeConfig.PortRange(low, low + size - 1);
            }
        }
        throw new AssertionError("no free range of " + size + " ports");
    }

    PortAllocator allocator(String owner, NodeConfig.PortRange range) throws Exception {
        Path data = Files.createDirectories(dir.resolve(owner));
        return new PortAllocator(data.resolve("deployments"), range, dir.resolve("claims"), data);
    }

    @Test
    void keepsAWorkloadsPortsAcrossRestartsAndReleasesThem() throws Exception {
        NodeConfig.PortRange range = freeRange(8);
        Map<String, Integer> first = allocator("a", range).assign(7, "app", List.of(WEB, GOSSIP));
        assertThat(first.keySet()).containsExactly("web", "gossip");
        assertThat(first.values()).allSatisfy(p -> assertThat(p).isBetween(range.low(), range.high())).doesNotHaveDuplicates();

        // Another allocator on the same data directory (the agent restarted) gives the same ports back.
        PortAllocator again = allocator("a", range);
        assertThat(again.assign(7, "app", List.of(WEB, GOSSIP))).isEqualTo(first);
        // A new version that drops a port releases it; the one it keeps does not move.
        assertThat(again.assign(7, "app", List.of(WEB))).isEqualTo(Map.of("web", first.get("web")));
        assertThat(dir.resolve("claims").resolve(first.get("gossip").toString())).doesNotExist();
        assertThat(dir.resolve("claims").resolve(first.get("web").toString())).exists();

        again.release(7);
        assertThat(dir.resolve("a/deployments/7.ports")).doesNotExist();
        assertThat(dir.resolve("claims").resolve(first.get("web").toString())).doesNotExist();
    }

    @Test
    void twoAgentsWithOneRangeNeverShareAPortAndABusyPortIsSkipped() throws Exception {
        NodeConfig.PortRange range = freeRange(4);
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(range.low()));
            // Neither allocator has bound anything yet: only the machine-wide claims keep them apart.
            Map<String, Integer> a = allocator("a", range).assign(1, "app", List.of(WEB));
            Map<String, Integer> b = allocator("b", range).assign(1, "app", List.of(WEB));
            assertThat(a.get("web")).isEqualTo(range.low() + 1);
            assertThat(b.get("web")).isEqualTo(range.low() + 2);
            assertThat(Files.readString(dir.resolve("claims").resolve(a.get("web").toString())))
                    .isEqualTo(dir.resolve("a").toAbsolutePath().toString());
            PortAllocator c = allocator("c", range);
            c.assign(1, "app", List.of(WEB));
            assertThatThrownBy(() -> c.assign(2, "app", List.of(WEB)))
                    .hasMessage("no free port left in " + range + " (1 held by this node)");
        }
    }

    @Test
    void aClaimOfAnAgentWhoseDataIsGoneIsTakenOver() throws Exception {
        NodeConfig.PortRange range = freeRange(1);
        Files.createDirectories(dir.resolve("claims"));
        Files.writeString(dir.resolve("claims").resolve(Integer.toString(range.low())), dir.resolve("gone").toString());
        assertThat(allocator("a", range).assign(1, "app", List.of(WEB))).containsEntry("web", range.low());
    }
}
