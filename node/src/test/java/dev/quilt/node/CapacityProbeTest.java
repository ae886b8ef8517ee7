package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.chain.Resources;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CapacityProbeTest {
    static final Resources MEASURED = new Resources(8, 32L << 30, 1L << 40, 0);

    @Test
    void offersTheSmallerOfWhatIsMeasuredAndWhatTheFarmerAllows() {
        assertThat(CapacityProbe.cap(MEASURED, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty())).isEqualTo(MEASURED);
        assertThat(CapacityProbe.cap(MEASURED, OptionalLong.of(2), OptionalLong.of(4L << 30), OptionalLong.of(100L << 30)))
                .isEqualTo(new Resources(2, 4L << 30, 100L << 30, 0));
        // A limit above the machine does not make it bigger.
        assertThat(CapacityProbe.cap(MEASURED, OptionalLong.of(64), OptionalLong.of(1L << 50), OptionalLong.empty()))
                .isEqualTo(MEASURED);
        assertThatThrownBy(() -> CapacityProbe.cap(MEASURED, OptionalLong.of(0), OptionalLong.empty(), OptionalLong.empty()))
                .hasMessage("capacity limit 0 (expected: >= 1)");
    }

    @Test
    void portRangesParseOrSayWhy() {
        assertThat(NodeConfig.PortRange.parse("20000-29999")).isEqualTo(NodeConfig.PortRange.DEFAULT);
        assertThat(NodeConfig.PortRange.parse(" 30000 - 30009 ")).isEqualTo(new NodeConfig.PortRange(30000, 30009));
        assertThatThrownBy(() -> NodeConfig.PortRange.parse("30000")).hasMessage("ports: '30000' (expected: LO-HI, e.g. 20000-29999)");
        assertThatThrownBy(() -> NodeConfig.PortRange.parse("90-100"))
                .hasMessage("ports: 90-100 (expected: LO-HI within 1024-65535, LO <= HI)");
        assertThatThrownBy(() -> NodeConfig.PortRange.parse("3000-2000"))
                .hasMessage("ports: 3000-2000 (expected: LO-HI within 1024-65535, LO <= HI)");
    }
}
