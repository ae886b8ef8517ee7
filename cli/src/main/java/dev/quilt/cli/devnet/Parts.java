package dev.quilt.cli.devnet;

import dev.quilt.chain.Resources;
import java.util.ArrayList;
import java.util.List;

/** The command lines of a devnet's parts: its validators, then its node agents. */
final class Parts {
    /** Milliseconds between blocks: short, so a deployment's contract is final within a second. */
    static final String BLOCK_INTERVAL = "300";

    /** A child process of the supervisor, named as in its pid and log files. */
    record Part(String name, List<String> command) {}

    private Parts() {}

    static List<Part> validators(DevnetLayout layout, DevnetConfig config) {
        List<Part> parts = new ArrayList<>();
        for (int v = 1; v <= config.raftPorts().size(); v++) {
            List<String> args = new ArrayList<>(List.of("chain", "run", "--genesis", layout.genesis().toString(),
                    "--data", layout.chainData(v).toString(), "--id", "v" + v, "--key", layout.key("validator-" + v).toString(),
                    "--api", "127.0.0.1:" + (v == 1 ? config.apiPort() : 0), "--block-interval", BLOCK_INTERVAL));
            for (int p = 1; p <= config.raftPorts().size(); p++) {
                args.addAll(List.of("--peer", "v" + p + "=127.0.0.1:" + config.raftPorts().get(p - 1)));
            }
            parts.add(new Part("validator-" + v, Launcher.quilt(args.toArray(String[]::new))));
        }
        return parts;
    }

    /**
     * Agent {@code index}'s share of the machine among {@code agents}: CPUs are whole on the ledger, so
     * they are dealt out one by one (the first agents get the remainder); memory and disk are split
     * evenly. A share never goes below the ledger's smallest node (1 CPU, 2 GiB, 100 GiB), so with
     * more agents than CPUs each still offers one and their CPUs overlap.
     */
    static Resources share(Resources machine, int agents, int index) {
        long cpus = machine.cru() / agents + (index < machine.cru() % agents ? 1 : 0);
        return new Resources(Math.max(1, cpus), Math.max(2 * Resources.GIB, machine.mru() / agents),
                Math.max(100 * Resources.GIB, machine.sru() / agents), 0);
    }

    /**
     * A node agent. Agents on one machine would each offer all of it, so each offers its {@link #share}:
     * it registers that capacity, so the ledger never reserves more CPUs on it than the cgroup quotas of
     * its workloads (each its template's CPU limit) add up to within the share.
     */
    static Part node(DevnetLayout layout, DevnetConfig config, DevnetConfig.NodeSpec node, long farmId, Resources share) {
        DevnetConfig.Farm farm = config.farms().get(node.farm());
        return new Part(node.name(), Launcher.quilt("node", "run", "--chain", config.apiUrl(),
                "--cpus", Long.toString(share.cru()), "--memory", Long.toString(share.mru()), "--disk", Long.toString(share.sru()),
                "--genesis", layout.genesis().toString(), "--key", layout.key(node.name()).toString(),
                "--farm", Long.toString(farmId), "--data", layout.nodeData(node.name()).toString(),
                "--intake", "127.0.0.1:" + node.intakePort(), "--zdb", "127.0.0.1:" + node.zdbPort(),
                "--country", farm.country(), "--city", "devnet", "--attest-every", "20", "--resync-every", "2"));
    }
}
