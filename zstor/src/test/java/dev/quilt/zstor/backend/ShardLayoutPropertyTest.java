package dev.quilt.zstor.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ShardLayoutPropertyTest {

    @Property(tries = 2000)
    void findsALayoutExactlyWhenOneExists(
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 4) Integer> sizes,
            @ForAll @IntRange(min = 1, max = 6) int k,
            @ForAll @IntRange(min = 0, max = 4) int m,
            @ForAll @IntRange(min = 0, max = 2) int redundantGroups,
            @ForAll @IntRange(min = 0, max = 2) int redundantNodes) {
        int[] groupSizes = sizes.stream().mapToInt(Integer::intValue).toArray();
        int n = k + m;
        Optional<int[]> plan = ShardLayout.plan(groupSizes, k, n, redundantGroups, redundantNodes);
        boolean exists = bruteForce(groupSizes, new int[groupSizes.length], 0, n, k, redundantGroups, redundantNodes);
        assertThat(plan.isPresent())
                .as("sizes %s k %d n %d rg %d rn %d", Arrays.toString(groupSizes), k, n, redundantGroups, redundantNodes)
                .isEqualTo(exists);
        plan.ifPresent(counts -> {
            assertThat(Arrays.stream(counts).sum()).isEqualTo(n);
            for (int i = 0; i < counts.length; i++) {
                assertThat(counts[i]).isBetween(0, groupSizes[i]);
            }
            assertThat(ShardLayout.survivors(counts, redundantGroups, redundantNodes)).isGreaterThanOrEqualTo(k);
        });
    }

    private static boolean bruteForce(int[] sizes, int[] counts, int group, int left, int k, int rg, int rn) {
        if (group == sizes.length) {
            return left == 0 && ShardLayout.survivors(counts, rg, rn) >= k;
        }
        for (int c = 0; c <= Math.min(sizes[group], left); c++) {
            counts[group] = c;
            if (bruteForce(sizes, counts, group + 1, left - c, k, rg, rn)) {
                return true;
            }
        }
        counts[group] = 0;
        return false;
    }
}
