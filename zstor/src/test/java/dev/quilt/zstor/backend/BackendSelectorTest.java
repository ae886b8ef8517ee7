package dev.quilt.zstor.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {

    @Test
    void spreadsShardsEvenlyOverBackends() {
        List<BackendGroup> groups = BackendSelectorPropertyTest.groups(new int[] {6, 6, 6, 6});
        BackendSelector selector = BackendSelector.rendezvous(groups, 4, 6, 1, 0);
        Map<Backend, Integer> load = new HashMap<>();
        int objects = 20_000;
        for (int i = 0; i < objects; i++) {
            byte[] id = ByteBuffer.allocate(8).putLong(i).array();
            for (Backend b : selector.select(id)) {
                load.merge(b, 1, Integer::sum);
            }
        }
        double mean = objects * 6 / 24.0;
        assertThat(load).hasSize(24);
        assertThat(load.values()).allSatisfy(count -> assertThat((double) count).isBetween(mean * 0.9, mean * 1.1));
    }

    @Test
    void refusesGroupsThatCannotSurviveTheLosses() {
        List<BackendGroup> groups = BackendSelectorPropertyTest.groups(new int[] {3, 3});
        assertThatThrownBy(() -> BackendSelector.rendezvous(groups, 4, 6, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no placement of 6 shards");
    }

    @Test
    void refusesABackendListedTwice() {
        Backend b = new Backend("h", 1, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> BackendSelector.rendezvous(
                List.of(new BackendGroup(List.of(b)), new BackendGroup(List.of(b))), 1, 1, 0, 0))
                .hasMessageContaining("appears twice");
    }

    @Test
    void parsesZeroStorAddressForms() {
        assertThat(Backend.parse("[2a02:1802:5e::223]:9900", Optional.of("ns"), Optional.empty()).host())
                .isEqualTo("2a02:1802:5e::223");
        assertThat(Backend.parse("10.1.2.3:9900", Optional.empty(), Optional.empty()).id()).isEqualTo("10.1.2.3:9900");
        assertThatThrownBy(() -> Backend.parse("::1:9900", Optional.empty(), Optional.empty()))
                .hasMessageContaining("expected: host:port or [ipv6]:port");
    }
}
