package dev.quilt.fs;

import dev.quilt.zstor.Zstor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** FUSE preconditions and cleanup for tests: never leave a mount behind. */
final class Mounts {
    private Mounts() {
    }

    /** Skips the test, saying why, where this machine cannot mount FUSE filesystems. */
    static void assumeFuse() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse on this machine: FUSE mounts are impossible");
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libfuse3.so.3")),
                "libfuse3.so.3 is not installed (Debian package fuse3)");
    }

    static boolean mounted(Path mountpoint) throws Exception {
        String abs = mountpoint.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.split(" ")[1].equals(abs));
    }

    /** fusermount3 -u, then umount -l if that did not do it. */
    static void unmount(Path mountpoint) throws Exception {
        if (!mounted(mountpoint)) {
            return;
        }
        run("fusermount3", "-u", mountpoint.toString());
        if (mounted(mountpoint)) {
            run("umount", "-l", mountpoint.toString());
        }
    }

    /**
     * The teardown every mount test needs, in order: close the mount, make sure nothing is left mounted, then
     * close zstor and stop its backends. Any argument may be null (the setup failed before it was made).
     */
    static void tearDown(FsMount mount, Path mountpoint, Zstor zstor, ZdbBackends backends) throws Exception {
        if (mount != null) {
            mount.close();
        }
        if (mountpoint != null) {
            unmount(mountpoint);
        }
        if (zstor != null) {
            zstor.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
