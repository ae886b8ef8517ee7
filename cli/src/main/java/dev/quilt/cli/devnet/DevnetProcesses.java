package dev.quilt.cli.devnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Finding and stopping a devnet's processes by their pid files. */
final class DevnetProcesses {
    private DevnetProcesses() {}

    /**
     * The live process a pid file names, if its command line still mentions the devnet directory:
     * after a reboot the pid may belong to something else, which is never touched.
     */
    static Optional<ProcessHandle> alive(Path pidFile, Path devnetDir) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> commandLine(p).contains(devnetDir.toString()));
    }

    /** The whole command line: the JDK's {@code Info.commandLine()} is empty for long ones, such as a test's class path. */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return p.info().commandLine().orElse("");
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. */
    static void stop(Optional<ProcessHandle> process, Duration grace) {
        process.ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                try {
                    p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // gone or unkillable; either way nothing more can be done here
                }
            }
        });
    }
}
