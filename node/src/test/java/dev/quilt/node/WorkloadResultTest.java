package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The per-workload status as its owner's client reads it from the intake. */
class WorkloadResultTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void statusJsonHasLowerCaseStatesHealthEndpointsAndRestarts() throws Exception {
        var served = new WorkloadResult("web", 2, WorkloadResult.State.INIT, "waiting for health check (no probe yet)", "starting",
                new TreeMap<>(Map.of("rpc", "127.0.0.1:20001")), 1);
        assertThat(json.writeValueAsString(served)).isEqualTo("{\"name\":\"web\",\"version\":2,\"state\":\"init\","
                + "\"message\":\"waiting for health check (no probe yet)\",\"health\":\"starting\","
                + "\"endpoints\":{\"rpc\":\"127.0.0.1:20001\"},\"restarts\":1}");
        // Without a health check there is no health field.
        assertThat(json.writeValueAsString(new WorkloadResult("data", 1, WorkloadResult.State.OK, "mounted")))
                .isEqualTo("{\"name\":\"data\",\"version\":1,\"state\":\"ok\",\"message\":\"mounted\",\"endpoints\":{},\"restarts\":0}");
    }
}
