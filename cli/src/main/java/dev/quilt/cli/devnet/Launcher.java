package dev.quilt.cli.devnet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs {@code quilt} again as a child process: the same java binary and the
 * same class path as this process (the shaded jar under {@code ./quilt}, the build's classes under
 * a test), with the flags every Quilt JVM needs.
 */
public final class Launcher {
    private Launcher() {}

    public static List<String> quilt(String... args) {
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of(args));
        return command;
    }

    /** {@code java <flags> -cp <class path> dev.quilt.cli.Quilt}. */
    public static List<String> java() {
        return List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "dev.quilt.cli.Quilt");
    }

    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The class path entries, for templates that run Quilt itself inside a sandbox. */
    public static List<String> classPath() {
        return List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
    }
}
