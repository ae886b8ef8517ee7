package dev.quilt.zstor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quilt.zstor.backend.BackendGroup;
import dev.quilt.zstor.backend.BackendSelector;
import dev.quilt.zstor.backend.ShardLayout;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ZstorConfigPropertyTest {

    @Property(tries = 300)
    void loadsExactlyTheLayoutsThatCanSurviveTheirLossesAndNamesTheKeyOtherwise(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 6) Integer> groupSizes,
            @ForAll @IntRange(min = 1, max = 8) int k,
            @ForAll @IntRange(min = 0, max = 6) int m,
            @ForAll @IntRange(min = 0, max = 3) int redundantGroups,
            @ForAll @IntRange(min = 0, max = 3) int redundantNodes) {
        String toml = toml(groupSizes, k, k + m, redundantGroups, redundantNodes);
        int[] sizes = groupSizes.stream().mapToInt(Integer::intValue).toArray();
        boolean possible = ShardLayout.plan(sizes, k, k + m, redundantGroups, redundantNodes).isPresent();
        if (possible) {
            ZstorConfig config = ZstorConfig.parse(toml);
            assertThat(config.groups()).extracting(BackendGroup::size).containsExactlyElementsOf(groupSizes);
            assertThat(BackendSelector.rendezvous(config.groups(), k, k + m, redundantGroups, redundantNodes)
                    .select(new byte[] {1})).hasSize(k + m);
        } else {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ZstorConfig.parse(toml));
            assertThat(e).as("refused").isNotNull();
            assertThat(e.key()).isIn("groups", "redundant_groups", "redundant_nodes");
            assertThat(e.getMessage()).startsWith(e.key() + ": ");
        }
    }

    static String toml(List<Integer> groupSizes, int k, int n, int redundantGroups, int redundantNodes) {
        StringBuilder b = new StringBuilder();
        b.append("minimal_shards = ").append(k).append('\n');
        b.append("expected_shards = ").append(n).append('\n');
        b.append("redundant_groups = ").append(redundantGroups).append('\n');
        b.append("redundant_nodes = ").append(redundantNodes).append('\n');
        b.append("[encryption]\nkey = \"").append(ZstorConfigTest.KEY).append("\"\n");
        b.append("[meta]\n[meta.config]\n");
        for (int i = 1; i <= 3; i++) {
            b.append("[[meta.config.backends]]\naddress = \"meta").append(i).append(":9900\"\n");
        }
        for (int g = 0; g < groupSizes.size(); g++) {
            b.append("[[groups]]\n");
            for (int i = 0; i < groupSizes.get(g); i++) {
                b.append("[[groups.backends]]\naddress = \"10.0.").append(g).append('.').append(i).append(":9900\"\n");
            }
        }
        return b.toString();
    }
}
