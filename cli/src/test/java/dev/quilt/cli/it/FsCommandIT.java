package dev.quilt.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.Quilt;
import dev.quilt.cli.QuiltRun;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.fs.ChunkRef;
import dev.quilt.fs.ChunkStore;
import dev.quilt.fs.Entry;
import dev.quilt.fs.Manifest;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.FreePorts;
import dev.quilt.testkit.JavaProcess;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quilt snapshot create}, {@code quilt fs mount} in a child JVM (killed with kill -9 in the middle),
 * {@code quilt fs seal} through the mount's control socket, against seven real zdbs.
 */
class FsCommandIT {
    private static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    private ZstorBackends backends;
    private Path config;
    private Path catalog;
    private Path mnt;
    private final List<JavaProcess> children = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse on this machine: FUSE mounts are impossible");
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libfuse3.so.3")),
                "libfuse3.so.3 is not installed (Debian package fuse3)");
        backends = new ZstorBackends(dir, 7);
        config = backends.writeConfig(dir.resolve("zstor.toml"));
        catalog = dir.resolve("catalog");
        mnt = Files.createDirectories(dir.resolve("mnt"));
    }

    @AfterEach
    void stop() throws Exception {
        children.forEach(JavaProcess::close);
        if (mnt != null) {
            unmount(mnt);
        }
        if (backends != null) {
            backends.close();
        }
    }

    private QuiltRun quilt(String... args) {
        return QuiltRun.of(args);
    }

    private JavaProcess mountInChild(String snapshot, String... extra) {
        List<String> args = new ArrayList<>(List.of("fs", "mount", snapshot, mnt.toString(), "--cache", dir.resolve("cache").toString(),
                "--cache-size", "64M", "--zstor", config.toString(), "--catalog", catalog.toString()));
        args.addAll(List.of(extra));
        JavaProcess child = JavaProcess.start(Quilt.class, List.of("--add-modules", "jdk.incubator.vector"), args);
        children.add(child);
        Await.until(() -> child.output().contains("mounted ") || !child.isAlive(), Duration.ofMinutes(3), child::output);
        assertThat(child.output()).as("child output").contains("mounted " + snapshot);
        return child;
    }

    @Test
    void aKilledMountLosesNoFsyncedWriteAndSealMakesANewSnapshot() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        byte[] original = new byte[5 * CHUNK + 100];
        new Random(1).nextBytes(original);
        Files.write(src.resolve("chain.db"), original);
        QuiltRun created = quilt("snapshot", "create", src.toString(), "--name", "base", "--zstor", config.toString(),
                "--catalog", catalog.toString(), "--chunk-size", "64k");
        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCodes.OK);
        assertThat(created.out()).startsWith("snapshot base ").contains("1 files, " + original.length + " bytes, 6 chunks (6 uploaded");

        int metricsPort = FreePorts.next();
        JavaProcess first = mountInChild("base", "--metrics", "127.0.0.1:" + metricsPort);
        byte[] expected = original.clone();
        Random random = new Random(2);
        try (FileChannel ch = FileChannel.open(mnt.resolve("chain.db"), StandardOpenOption.WRITE)) {
            for (int i = 0; i < 20; i++) {
                byte[] page = new byte[4096];
                random.nextBytes(page);
                int at = random.nextInt(original.length + CHUNK); // some past the end: the file grows
                ch.write(ByteBuffer.wrap(page), at);
                if (at + page.length > expected.length) {
                    expected = java.util.Arrays.copyOf(expected, at + page.length);
                }
                System.arraycopy(page, 0, expected, at, page.length);
            }
            ch.force(true);
        }
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("quilt_fs_cache_misses_total", "quilt_fs_dirty_bytes", "quilt_fs_fetched_bytes_total");

        first.kill(); // kill -9: no shutdown hook, no unmount, no flush
        unmount(mnt);

        mountInChild("base");
        assertThat(Files.readAllBytes(mnt.resolve("chain.db"))).isEqualTo(expected);

        QuiltRun sealed = quilt("fs", "seal", mnt.toString(), "--name", "after", "--zstor", config.toString(),
                "--catalog", catalog.toString());
        assertThat(sealed.exitCode()).as(sealed.err()).isEqualTo(ExitCodes.OK);
        assertThat(sealed.out()).startsWith("sealed after ");
        Hash256 after = Hash256.fromHex(sealed.out().strip().substring("sealed after ".length()));

        // the sealed snapshot, read straight from zstor, is the tree as written
        try (Zstor zstor = Zstor.open(ZstorConfig.load(config))) {
            ChunkStore store = new ChunkStore(zstor);
            Manifest manifest = store.getManifest(after);
            Entry db = manifest.entries().stream().filter(e -> e.path().equals("chain.db")).findFirst().orElseThrow();
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (ChunkRef c : db.chunks()) {
                byte[] stored = c.isHole() ? new byte[0] : store.get(c.hash());
                content.write(java.util.Arrays.copyOf(stored, c.length()));
            }
            assertThat(content.toByteArray()).isEqualTo(expected);
        }
        QuiltRun ls = quilt("snapshot", "ls", "--catalog", catalog.toString());
        assertThat(ls.out()).contains("base ", "after ");
    }

    @Test
    void badInputGetsOneLine() {
        QuiltRun run = quilt("snapshot", "create", dir.resolve("nope").toString(), "--name", "x", "--zstor", config.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).isEqualTo("quilt snapshot: " + dir.resolve("nope") + ": no such directory\n");
        QuiltRun badName = quilt("fs", "mount", "no/such", mnt.toString(), "--cache", dir.resolve("c").toString(),
                "--cache-size", "64M", "--zstor", config.toString(), "--catalog", catalog.toString());
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(badName.err()).startsWith("quilt fs: snapshot name 'no/such'");
    }

    private static void unmount(Path mountpoint) throws Exception {
        String abs = mountpoint.toAbsolutePath().toString();
        for (String[] command : List.of(new String[] {"fusermount3", "-u", abs}, new String[] {"umount", "-l", abs})) {
            if (Files.readAllLines(Path.of("/proc/self/mounts")).stream().noneMatch(l -> l.split(" ")[1].equals(abs))) {
                return;
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
