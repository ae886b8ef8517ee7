package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monero end to end of thin provisioning: a regtest chain of 3,000 blocks made by a local
 * monerod, snapshotted into a real zstor in 64 KiB chunks and published; {@code quilt deploy monero
 * --snapshot} on a real devnet mounts it thin on a node, the deployed monerod reports the snapshot's
 * height, and the node reports the bytes the mount fetched (at most what the snapshot stores); again after
 * the node agent is killed with SIGKILL and restarted by the devnet's supervisor.
 */
class SnapshotDeployIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A well-formed address to mine to; regtest accepts it and nobody spends the coins. */
    private static final String ADDRESS = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
    /**
     * A few thousand blocks, as a chain worth snapshotting: {@code generateblocks} computes a RandomX hash per
     * block, about 0.07 to 0.3 s each on two cores by load, so 3,000 blocks cost 4 to 15 minutes of the run.
     */
    private static final int BLOCKS = 3000;
    /** Small chunks, so that what monerod reads on start can fall in fewer chunks than a data file of a few MiB. */
    private static final String CHUNK_SIZE = "64k";
    private static final Pattern FETCHED = Pattern.compile("(\\d+) bytes fetched");
    private static final Pattern SNAPSHOT = Pattern.compile("files, (\\d+) bytes, \\d+ chunks \\((\\d+) uploaded, (\\d+) bytes\\)");

    @TempDir
    Path dir;

    static String ok(String... args) {
        QuiltRun run = QuiltRun.of(args);
        assertThat(run.exitCode()).as("quilt %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.out(), run.err())
                .isEqualTo(ExitCodes.OK);
        return run.out();
    }

    static JsonNode rpc(String url, String method, String params) throws Exception {
        return rpc(url, method, params, Duration.ofSeconds(30));
    }

    static JsonNode rpc(String url, String method, String params, Duration timeout) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":\"0\",\"method\":\"" + method
                        + "\",\"params\":" + params + "}")).build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void moneroStartsFromAPublishedSnapshotAtItsHeight() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root for cgroups and mounts");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")) || Files.isExecutable(Path.of("/bin/bwrap")), "needs bubblewrap");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/monerod")), "needs monerod (Debian's monero package)");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse");

        // A regtest chain made locally, then monerod stopped so its data directory is at rest.
        Path chain = Files.createDirectories(dir.resolve("monero"));
        int port = FreePorts.next();
        String url = "http://127.0.0.1:" + port + "/json_rpc";
        Process monerod = new ProcessBuilder("/usr/bin/monerod", "--regtest", "--offline", "--fixed-difficulty", "1",
                "--keep-fakechain", "--non-interactive", "--data-dir", chain.toString(), "--rpc-bind-ip", "127.0.0.1",
                "--rpc-bind-port", String.valueOf(port), "--p2p-bind-port", String.valueOf(FreePorts.next()), "--no-igd",
                "--no-zmq", "--rpc-ssl", "disabled", "--disable-dns-checkpoints", "--check-updates", "disabled", "--log-level", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("monerod.log").toFile()).start();
        long height;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                try {
                    if (rpc(url, "get_info", "{}").at("/result/status").asText().equals("OK")) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                assertThat(System.nanoTime()).as("monerod answering").isLessThan(deadline);
                Thread.sleep(200);
            }
            // In batches: one call for all of them would outlast the RPC client's timeout on a loaded machine.
            long mining = System.nanoTime();
            for (int done = 0; done < BLOCKS; done += 100) {
                JsonNode mined = rpc(url, "generateblocks", "{\"amount_of_blocks\":" + Math.min(100, BLOCKS - done)
                        + ",\"wallet_address\":\"" + ADDRESS + "\"}", Duration.ofMinutes(3));
                assertThat(mined.at("/result/status").asText()).as(mined.toString()).isEqualTo("OK");
            }
            System.out.printf("mined %d regtest blocks in %.0f s%n", BLOCKS, (System.nanoTime() - mining) / 1e9);
            height = rpc(url, "get_info", "{}").at("/result/height").asLong();
            assertThat(height).isEqualTo(BLOCKS + 1);
        } finally {
            monerod.destroy();
            monerod.waitFor();
        }

        Path home = Files.createDirectories(dir.resolve("home"));
        System.setProperty("quilt.home", home.toString());
        try (ZstorBackends backends = new ZstorBackends(dir.resolve("zdbs"), 6)) {
            Path config = backends.writeConfig(dir.resolve("zstor.toml"));
            String status = ok("devnet", "up", "--nodes", "1", "--farms", "1");
            Matcher api = Pattern.compile("chain API\\s+(http://\\S+)").matcher(status);
            Matcher key = Pattern.compile("user key\\s+(\\S+)").matcher(status);
            assertThat(api.find() && key.find()).as(status).isTrue();
            // The publisher needs a twin: a farm brings one.
            QuiltRun.of("farm", "create", "--api", api.group(1), "--key", key.group(1), "--name", "snapshots", "--wait");
            String snapshot = ok("snapshot", "create", chain.toString(), "--name", "xmr-regtest", "--zstor", config.toString(), "--catalog",
                    dir.resolve("catalog").toString(), "--chunk-size", CHUNK_SIZE, "--height", String.valueOf(height), "--publish", "--api", api.group(1),
                    "--key", key.group(1), "--source-chain", "monero-regtest");

            JsonNode deployed = JSON.readTree(ok("deploy", "monero", "--name", "xmrsnap", "--snapshot", "xmr-regtest",
                    "--zstor", config.toString(), "--json"));
            JsonNode info = rpc(deployed.get("endpoints").get("rpc").asText(), "get_info", "{}");
            assertThat(info.at("/result/height").asLong()).as(info.toString()).isEqualTo(height);
            String workloads = ok("status", "xmrsnap");
            System.out.println("snapshot:\n" + snapshot + "snapshot deploy status:\n" + workloads);
            assertThat(workloads).contains("mounted snapshot xmr-regtest");
            Matcher stored = SNAPSHOT.matcher(snapshot);
            Matcher fetched = FETCHED.matcher(workloads);
            assertThat(stored.find()).as(snapshot).isTrue();
            assertThat(fetched.find()).as("bytes fetched reported: " + workloads).isTrue();
            long snapshotBytes = Long.parseLong(stored.group(1));
            long fetchedBytes = Long.parseLong(fetched.group(1));
            System.out.printf("snapshot of %d blocks: %d bytes, %d stored; the deployment fetched %d bytes (%.1f %%)%n",
                    height, snapshotBytes, Long.parseLong(stored.group(3)), fetchedBytes, 100.0 * fetchedBytes / snapshotBytes);
            // Reported, and never more than the snapshot stores (nothing fetched twice with a cache larger than the
            // chain). Not much less: monerod's start touches nearly every 64 KiB chunk of a chain this small (the
            // 1 GiB time-to-healthy benchmark is where the fraction fetched is measured).
            assertThat(fetchedBytes).as("bytes fetched").isPositive().isLessThanOrEqualTo(Long.parseLong(stored.group(3)));

            // kill -9 of the node agent leaves a dead FUSE mount; the restarted agent takes it down, mounts the
            // snapshot again over its kept cache (monerod's own writes included) and monerod comes back at the height.
            Path run = home.resolve("devnet").resolve("run");
            long agent = Long.parseLong(Files.readString(run.resolve("node-1.pid")).strip());
            ProcessHandle.of(agent).orElseThrow().destroyForcibly();
            String rpc = deployed.get("endpoints").get("rpc").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long after = -1;
            while (after != height) {
                assertThat(System.nanoTime()).as("monerod back at height " + height + " after the agent's kill -9").isLessThan(deadline);
                Thread.sleep(500);
                String pid = Files.exists(run.resolve("node-1.pid")) ? Files.readString(run.resolve("node-1.pid")).strip() : "";
                if (pid.isEmpty() || Long.parseLong(pid) == agent) {
                    continue;
                }
                try {
                    after = rpc(rpc, "get_info", "{}").at("/result/height").asLong(-1);
                } catch (java.io.IOException e) {
                    // monerod not answering yet
                }
            }
            // The node's own probe may not have seen monerod yet, so status may still say starting (exit 1).
            String restarted = QuiltRun.of("status", "xmrsnap").out();
            System.out.println("after the agent's kill -9:\n" + restarted);
            assertThat(restarted).contains("mounted snapshot xmr-regtest");
            ok("destroy", "xmrsnap");
        } catch (AssertionError | Exception e) {
            DevnetLogs.printTails(home.resolve("devnet"), "snapshot deploy");
            throw e;
        } finally {
            QuiltRun.of("devnet", "down", "--purge");
            System.clearProperty("quilt.home");
        }
    }
}
