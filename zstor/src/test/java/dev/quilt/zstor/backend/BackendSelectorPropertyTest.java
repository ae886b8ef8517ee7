package dev.quilt.zstor.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class BackendSelectorPropertyTest {

    @Property(tries = 500)
    void choosesDistinctBackendsThatSurviveTheAllowedLosses(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 10) Integer> sizes,
            @ForAll @IntRange(min = 1, max = 10) int k,
            @ForAll @IntRange(min = 0, max = 8) int m,
            @ForAll @IntRange(min = 0, max = 3) int redundantGroups,
            @ForAll @IntRange(min = 0, max = 3) int redundantNodes,
            @ForAll @Size(min = 1, max = 32) byte[] objectId) {
        int[] groupSizes = sizes.stream().mapToInt(Integer::intValue).toArray();
        int n = k + m;
        Assume.that(ShardLayout.plan(groupSizes, k, n, redundantGroups, redundantNodes).isPresent());
        List<BackendGroup> groups = groups(groupSizes);
        BackendSelector selector = BackendSelector.rendezvous(groups, k, n, redundantGroups, redundantNodes);

        List<Backend> chosen = selector.select(objectId);

        assertThat(chosen).hasSize(n).doesNotHaveDuplicates();
        Map<Backend, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (Backend b : groups.get(g).backends()) {
                groupOf.put(b, g);
            }
        }
        int[] counts = new int[groups.size()];
        for (Backend b : chosen) {
            counts[groupOf.get(b)]++;
        }
        assertThat(ShardLayout.survivors(counts, redundantGroups, redundantNodes)).isGreaterThanOrEqualTo(k);
        assertThat(BackendSelector.rendezvous(groups, k, n, redundantGroups, redundantNodes).select(objectId))
                .isEqualTo(chosen);
    }

    static List<BackendGroup> groups(int[] sizes) {
        List<BackendGroup> groups = new ArrayList<>();
        for (int g = 0; g < sizes.length; g++) {
            List<Backend> members = new ArrayList<>();
            for (int i = 0; i < sizes[g]; i++) {
                members.add(new Backend("10.0." + g + "." + i, 9900, Optional.of("ns"), Optional.empty()));
            }
            groups.add(new BackendGroup(members));
        }
        return groups;
    }

}
