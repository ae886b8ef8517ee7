package dev.quilt.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.node.DeploymentDocument;
import dev.quilt.node.Workload;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThinDataTest {
    static final Hash256 MANIFEST = Hash256.fromHex("a0".repeat(32));

    @Test
    void moneroDataDirectoryBecomesAThinWorkloadOfTheSameNameSizeAndMountPath() {
        Template t = Templates.bundled("monero");
        DeploymentDocument doc = Rendering.render(t, "xmr", Rendering.parameters(t, Map.of()), Rendering.size(t, "S"), 1).document();
        DeploymentDocument thin = new ThinData("xmr-regtest", Path.of("zstor.toml")).apply(doc, MANIFEST, ThinData.placeholder());

        Workload.Volume volume = (Workload.Volume) doc.workloads().getFirst();
        assertThat(thin.workloads().getFirst()).isEqualTo(new Workload.Thin(volume.name(), 1, MANIFEST,
                Optional.of("xmr-regtest"), volume.sizeBytes(), ThinData.placeholder()));
        assertThat(thin.workloads().subList(1, thin.workloads().size())).isEqualTo(doc.workloads().subList(1, doc.workloads().size()));
        assertThat(thin.resources()).isEqualTo(doc.resources());
        Workload.Process monerod = (Workload.Process) thin.workloads().get(1);
        assertThat(monerod.mounts()).containsExactly(new Workload.Mount(volume.name(), "/data"));
    }

    @Test
    void refusesATemplateWithoutExactlyOneDataDirectoryAndABadName() {
        DeploymentDocument two = new DeploymentDocument(1, java.util.List.of(new Workload.Volume("a-data", 1, 64L << 20),
                new Workload.Volume("b-data", 1, 64L << 20)));
        assertThatThrownBy(() -> new ThinData("snap", Path.of("z")).apply(two, MANIFEST, ThinData.placeholder()))
                .hasMessage("--snapshot: the template has 2 data directories (expected: exactly one)");
        DeploymentDocument none = new DeploymentDocument(1, java.util.List.of());
        assertThatThrownBy(() -> new ThinData("snap", Path.of("z")).apply(none, MANIFEST, ThinData.placeholder()))
                .hasMessage("--snapshot: the template has 0 data directories (expected: exactly one)");
        assertThatThrownBy(() -> new ThinData("Bad Name", Path.of("z")))
                .hasMessage("--snapshot Bad Name (expected: [a-z0-9][a-z0-9._-]{0,63})");
        assertThatThrownBy(() -> new ThinData("snap", Path.of("/nonexistent/zstor.toml")).config())
                .hasMessage("--zstor: /nonexistent/zstor.toml: no such file");
    }
}
