package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.fs.ChunkStore;
import dev.quilt.fs.WriteLease;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ZstorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quilt snapshot rm} and {@code quilt snapshot gc} against six real zdbs. */
class SnapshotGcCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ZstorBackends backends;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        backends = new ZstorBackends(dir, 6);
        config = backends.writeConfig(dir.resolve("zstor.toml"));
    }

    @AfterEach
    void stop() throws Exception {
        backends.close();
    }

    private QuiltRun quilt(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--zstor";
        all[args.length + 1] = config.toString();
        all[args.length + 2] = "--catalog";
        all[args.length + 3] = dir.resolve("catalog").toString();
        return QuiltRun.of(all);
    }

    private JsonNode ok(String... args) throws Exception {
        QuiltRun run = quilt(args);
        assertThat(run.exitCode()).as("stdout: %s\nstderr: %s", run.out(), run.err()).isEqualTo(ExitCodes.OK);
        return args[args.length - 1].equals("--json") ? JSON.readTree(run.out()) : null;
    }

    @Test
    void rmThenGcDeletesTheChunksOnlyTheRemovedSnapshotHad() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Random random = new Random(5);
        byte[] data = new byte[4 * 65536];
        random.nextBytes(data);
        Files.write(src.resolve("blocks.dat"), data);
        ok("snapshot", "create", src.toString(), "--name", "a", "--chunk-size", "64k", "--json");
        data[3 * 65536 + 7] ^= 1;
        Files.write(src.resolve("blocks.dat"), data);
        JsonNode b = ok("snapshot", "create", src.toString(), "--name", "b", "--chunk-size", "64k", "--json");
        assertThat(b.get("uploadedChunks").asInt()).isEqualTo(1);

        QuiltRun unknown = quilt("snapshot", "rm", "nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(unknown.err().strip()).isEqualTo("quilt snapshot: no snapshot named 'nope' in the local catalog or in zstor");
        QuiltRun bad = quilt("snapshot", "rm", "Bad!");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(bad.err().strip().lines().count()).isEqualTo(1);

        assertThat(ok("snapshot", "gc", "--json").get("deletedChunks").asLong()).isZero();
        QuiltRun rm = quilt("snapshot", "rm", "a");
        assertThat(rm.exitCode()).as(rm.err()).isEqualTo(ExitCodes.OK);
        assertThat(rm.out()).startsWith("removed snapshot a (manifest ");
        JsonNode dry = ok("snapshot", "gc", "--dry-run", "--json");
        assertThat(dry.get("deletedChunks").asLong()).isEqualTo(1);
        assertThat(dry.get("dryRun").asBoolean()).isTrue();

        // A writer lease held elsewhere (a snapshot being created): the collection refuses.
        try (Zstor zstor = Zstor.open(ZstorConfig.load(config));
                WriteLease lease = WriteLease.writer(new ChunkStore(zstor), Duration.ZERO)) {
            QuiltRun refused = quilt("snapshot", "gc");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(refused.err()).contains("1 writer lease(s) live").contains("nothing deleted");
        }

        JsonNode gc = ok("snapshot", "gc", "--json");
        assertThat(gc.get("deletedChunks").asLong()).isEqualTo(1);
        assertThat(gc.get("deletedBytes").asLong()).isEqualTo(65536);
        assertThat(gc.get("deletedManifests").asLong()).isEqualTo(1);
        assertThat(gc.get("keptChunks").asLong()).isEqualTo(4);
        assertThat(gc.get("snapshots").asLong()).isEqualTo(1);
        QuiltRun text = quilt("snapshot", "gc");
        assertThat(text.out().strip()).isEqualTo("deleted 0 chunks (0 bytes) and 0 manifests no snapshot references; kept 4 chunks of 1 snapshots");
    }
}
