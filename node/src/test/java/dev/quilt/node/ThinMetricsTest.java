package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.metrics.MetricsRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThinMetricsTest {

    static MetricsRegistry mount(long fetched, long dirty) {
        MetricsRegistry r = new MetricsRegistry();
        r.counter("quilt_fs_fetched_bytes_total", "Bytes fetched.").add(fetched);
        r.gauge("quilt_fs_dirty_bytes", "Dirty bytes.", () -> dirty);
        r.counter("quilt_fs_x_total", "Labelled.", "kind", "a").add(1);
        return r;
    }

    @Test
    void eachFamilyOnceWithEveryMountsSamplesLabelledByContractAndWorkload() {
        String text = ThinMetrics.render(List.of(new ThinMetrics.Source(1, "data", mount(100, 7)),
                new ThinMetrics.Source(12, "chain-db", mount(2000, 0))));
        assertThat(text).isEqualTo("""
                # HELP quilt_fs_dirty_bytes Dirty bytes.
                # TYPE quilt_fs_dirty_bytes gauge
                quilt_fs_dirty_bytes{contract="1",workload="data"} 7
                quilt_fs_dirty_bytes{contract="12",workload="chain-db"} 0
                # HELP quilt_fs_fetched_bytes_total Bytes fetched.
                # TYPE quilt_fs_fetched_bytes_total counter
                quilt_fs_fetched_bytes_total{contract="1",workload="data"} 100
                quilt_fs_fetched_bytes_total{contract="12",workload="chain-db"} 2000
                # HELP quilt_fs_x_total Labelled.
                # TYPE quilt_fs_x_total counter
                quilt_fs_x_total{contract="1",workload="data",kind="a"} 1
                quilt_fs_x_total{contract="12",workload="chain-db",kind="a"} 1
                """);
    }

    @Test
    void noMountsNoText() {
        assertThat(ThinMetrics.render(List.of())).isEmpty();
    }
}
