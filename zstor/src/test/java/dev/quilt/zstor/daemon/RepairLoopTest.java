package dev.quilt.zstor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zstor.CheckReport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RepairLoopTest {
    private final InMemoryZstor zstor = new InMemoryZstor();
    private final DaemonMetrics metrics = new DaemonMetrics();

    @Test
    void rebuildsDegradedObjectsReportsLostOnesAndCountsEverything() throws Exception {
        zstor.objects.put("a", new byte[100]);
        zstor.objects.put("b", new byte[200]);
        zstor.objects.put("c", new byte[300]);
        zstor.health.put("b", CheckReport.Health.DEGRADED);
        zstor.health.put("c", CheckReport.Health.LOST);
        RepairLoop loop = new RepairLoop(zstor, new DaemonConfig.Repair(0, Duration.ZERO, Duration.ofHours(1)), metrics);

        assertThat(loop.sweep()).isEqualTo(new RepairLoop.Sweep(1, 1, 1, 0, 1));
        assertThat(zstor.rebuilds.get()).isEqualTo(1);
        assertThat(zstor.health.get("b")).isEqualTo(CheckReport.Health.HEALTHY);
        assertThat(metrics.bytesScrubbed.value()).isEqualTo(600);

        assertThat(loop.sweep()).isEqualTo(new RepairLoop.Sweep(2, 0, 1, 0, 0));
        String text = metrics.registry.render();
        assertThat(text).contains("zstor_repair_sweeps_total 2\n", "zstor_repair_shards_rebuilt_total 1\n",
                "zstor_repair_objects_checked_total{health=\"healthy\"} 3\n",
                "zstor_repair_objects_checked_total{health=\"degraded\"} 1\n",
                "zstor_repair_objects_checked_total{health=\"lost\"} 2\n",
                "zstor_objects_healthy 2\n", "zstor_objects_lost 1\n",
                "zstor_backends 2\n", "zstor_backends_reachable 1\n", "zstor_repair_bytes_scrubbed_total 1200\n");
    }

    @Test
    void anObjectThatCannotBeCheckedIsCountedAndTheSweepGoesOn() throws Exception {
        InMemoryZstor failing = new InMemoryZstor() {
            @Override
            public synchronized CheckReport check(String key) throws java.io.IOException {
                if (key.equals("a")) {
                    throw new java.io.IOException("metadata unreadable (test)");
                }
                return super.check(key);
            }
        };
        failing.objects.put("a", new byte[1]);
        failing.objects.put("b", new byte[1]);
        RepairLoop loop = new RepairLoop(failing, new DaemonConfig.Repair(0, Duration.ZERO, Duration.ofHours(1)), metrics);
        assertThat(loop.sweep()).isEqualTo(new RepairLoop.Sweep(1, 0, 0, 1, 0));
        assertThat(metrics.checkErrors.value()).isEqualTo(1);
    }
}
