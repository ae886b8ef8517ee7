package dev.quilt.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.chain.PricingPolicy;
import dev.quilt.chain.Resources;
import dev.quilt.cli.command.ChainInitCommand;
import dev.quilt.cli.CliException;
import dev.quilt.node.DeploymentDocument;
import dev.quilt.node.HealthCheck;
import dev.quilt.node.Workload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Templates, rendering, scheduling and the log tail, without a grid. */
class DeployPartsTest {
    private static final long GIB = Resources.GIB;

    @Test
    void everyBundledTemplateParsesAndRenders() {
        for (String name : Templates.BUNDLED) {
            Template t = Templates.bundled(name);
            assertThat(t.name()).isEqualTo(name);
            assertThat(t.sizes()).containsKeys("S", "M", "L");
            Map<String, String> set = new java.util.HashMap<>();
            t.parameters().forEach((k, p) -> {
                if (p.defaultValue().isEmpty()) {
                    set.put(k, "/opt/x/" + k);
                }
            });
            boolean secrets = t.workloads().stream().anyMatch(w -> !w.secrets().isEmpty());
            if (!secrets) {
                DeploymentDocument doc = Rendering.render(t, "d", Rendering.parameters(t, set), Rendering.size(t, null), 1).document();
                assertThat(doc.workloads()).allMatch(w -> w.name().startsWith("d_"));
            }
        }
    }

    @Test
    void moneroRendersItsArgsPortsVolumeAndHealthCheck() {
        Template t = Templates.bundled("monero");
        DeploymentDocument doc = Rendering.render(t, "xmr", Rendering.parameters(t, Map.of()), Rendering.size(t, "S"), 1).document();
        Workload.Volume volume = (Workload.Volume) doc.workloads().get(0);
        Workload.Process p = (Workload.Process) doc.workloads().get(1);
        assertThat(volume.name()).isEqualTo("xmr_monerod-data");
        assertThat(volume.sizeBytes()).isEqualTo(GIB);
        assertThat(p.name()).isEqualTo("xmr_monerod");
        assertThat(p.command()).isEqualTo("/usr/bin/monerod");
        assertThat(String.join(" ", p.args())).contains("--rpc-bind-port ${port.rpc}").contains("--rpc-ssl disabled")
                .endsWith("--regtest --offline --fixed-difficulty 1 --keep-fakechain");
        assertThat(p.ports()).extracting(Workload.Port::name).containsExactly("rpc", "p2p");
        assertThat(p.mounts()).containsExactly(new Workload.Mount("xmr_monerod-data", "/data"));
        HealthCheck.Http h = (HealthCheck.Http) p.health().orElseThrow();
        assertThat(h.path()).isEqualTo("/json_rpc");
        assertThat(h.expectJsonPointer()).contains("/result/synchronized");
        assertThat(doc.resources()).isEqualTo(new Resources(1, GIB, GIB, 0));

        DeploymentDocument stagenet = Rendering.render(t, "xmr", Rendering.parameters(t, Map.of("network", "stagenet")),
                Rendering.size(t, "S"), 1).document();
        assertThat(((Workload.Process) stagenet.workloads().get(1)).args()).contains("--stagenet").doesNotContain("--regtest");
        assertThat(Rendering.endpoints(t, "xmr", Map.of(), Map.of("rpc", "127.0.0.1:20001", "p2p", "127.0.0.1:20002")))
                .containsEntry("rpc", "http://127.0.0.1:20001/json_rpc");
    }

    @Test
    void badTemplatesAndParametersAreOneLineErrors() {
        assertThatThrownBy(() -> TemplateParser.parse("t", "name: t\nsizes: {S: {cpu: 1, memory: 1G, disk: 1G}}\nworkloads: []\n"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(CliException.class)
                .hasMessage("template t: workloads: expected a list of at least one process");
        assertThatThrownBy(() -> TemplateParser.parse("t", "name: t\nsize: {}\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("template t: size: unknown field");
        Template monero = Templates.bundled("monero");
        assertThatThrownBy(() -> Rendering.parameters(monero, Map.of("network", "testnet")))
                .hasMessage("--set network=testnet: expected one of regtest, stagenet, mainnet");
        assertThatThrownBy(() -> Rendering.size(monero, "XL")).hasMessage("--size XL: template monero has sizes S, M, L");
        assertThatThrownBy(() -> Templates.bundled("bitcoin")).hasMessageStartingWith("no template 'bitcoin'");
    }

    private static LedgerView.NodeInfo node(long id, long farm, String country, long freeCpu, long freeMem, int attested, boolean up) {
        return new LedgerView.NodeInfo(id, farm, "farm-" + farm, country, new Resources(4, 16 * GIB, 500 * GIB, 0),
                new Resources(freeCpu, freeMem, 400 * GIB, 0), "http://127.0.0.1:" + (8000 + id), attested, up, id,
                ChainInitCommand.DEFAULT_POLICY);
    }

    @Test
    void theSchedulerRanksBySpreadThenUptimeThenHeadroom() {
        List<LedgerView.NodeInfo> nodes = List.of(node(1, 1, "BE", 4, 16 * GIB, 10, true), node(2, 2, "NL", 2, 8 * GIB, 10, true),
                node(3, 3, "DE", 4, 16 * GIB, 20, true));
        Resources need = new Resources(1, GIB, GIB, 0);
        assertThat(Scheduler.rank(nodes, need, Scheduler.Constraints.none(), Scheduler.Spread.none(), n -> 0))
                .extracting(LedgerView.NodeInfo::id).containsExactly(3L, 1L, 2L);
        assertThat(Scheduler.rank(nodes, need, Scheduler.Constraints.none(), new Scheduler.Spread(Set.of(3L), Set.of("DE")), n -> 0))
                .extracting(LedgerView.NodeInfo::id).containsExactly(1L, 2L, 3L);
        assertThat(Scheduler.rank(nodes, need, new Scheduler.Constraints(OptionalLong.empty(), Optional.of("farm-2"), Optional.empty()),
                Scheduler.Spread.none(), n -> 0)).extracting(LedgerView.NodeInfo::id).containsExactly(2L);
    }

    @Test
    void theFarmsPricingPolicySetsThePriceAndTheCheaperNodeRanksFirst() {
        Resources need = new Resources(1, GIB, GIB, 0);
        PricingPolicy dear = new PricingPolicy(2, "dear", 300_000, 150_000, 15_000, 40_000, 2_500, 50);
        // tfchain's formula: 0.5 CU and 0.005 SU for 1 CPU, 1 GiB memory and 1 GiB SSD.
        assertThat(Price.hourly(need, ChainInitCommand.DEFAULT_POLICY)).isEqualTo(50_000 + 250);
        assertThat(Price.hourly(need, dear)).isEqualTo(150_000 + 750);
        LedgerView.NodeInfo cheap = node(1, 1, "BE", 4, 16 * GIB, 10, true);
        LedgerView.NodeInfo costly = new LedgerView.NodeInfo(2, 2, "farm-2", "NL", cheap.capacity(), cheap.free(), "http://127.0.0.1:8002",
                20, true, 2, dear);
        assertThat(Scheduler.rank(List.of(costly, cheap), need, Scheduler.Constraints.none(), Scheduler.Spread.none(),
                n -> Price.hourly(need, n.policy()))).extracting(LedgerView.NodeInfo::id).containsExactly(1L, 2L);
    }

    @Test
    void nothingFittingCountsWhatExcludedHowMany() {
        List<LedgerView.NodeInfo> nodes = List.of(node(1, 1, "BE", 1, 16 * GIB, 1, true), node(2, 2, "NL", 4, GIB, 1, true),
                node(3, 3, "DE", 4, 16 * GIB, 1, false), node(4, 1, "BE", 4, 16 * GIB, 1, true));
        assertThatThrownBy(() -> Scheduler.rank(nodes, new Resources(2, 4 * GIB, GIB, 0),
                new Scheduler.Constraints(OptionalLong.empty(), Optional.empty(), Optional.of("NL")), Scheduler.Spread.none(), n -> 0))
                .hasMessage("no node fits 2 CPU, 4.0 GiB memory, 1.0 GiB SSD: of 4 node(s), 3 excluded by --country NL, "
                        + "1 excluded by free memory (need 4.0 GiB)");
        assertThatThrownBy(() -> Scheduler.rank(nodes, new Resources(8, 4 * GIB, GIB, 0), Scheduler.Constraints.none(),
                Scheduler.Spread.none(), n -> 0)).isInstanceOf(CliException.class)
                .hasMessage("no node fits 8 CPU, 4.0 GiB memory, 1.0 GiB SSD: of 4 node(s), 3 excluded by free CPU (need 8), "
                        + "1 excluded by uptime (no attestation in the last two windows)");
    }

    @Test
    void anUpdateKeepsTheVersionOfWhatDidNotChange() {
        Template t = Templates.bundled("monero");
        DeploymentDocument v1 = Rendering.render(t, "m", Rendering.parameters(t, Map.of()), Rendering.size(t, "S"), 1).document();
        DeploymentDocument v2 = Rendering.render(t, "m", Rendering.parameters(t, Map.of("log-level", "1")), Rendering.size(t, "S"), 2).document();
        DeploymentDocument merged = Deployer.keepUnchanged(v1, v2);
        assertThat(merged.version()).isEqualTo(2);
        assertThat(merged.workloads()).extracting(Workload::version).containsExactly(1L, 2L);
        assertThat(Deployer.keepUnchanged(v1, Rendering.render(t, "m", Rendering.parameters(t, Map.of()), Rendering.size(t, "S"), 2)
                .document()).workloads()).extracting(Workload::version).containsExactly(1L, 1L);
    }
}
