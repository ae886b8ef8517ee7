package dev.quilt.cli.devnet;

import java.nio.file.Path;

/**
 * Where the user's Quilt state lives: {@code $QUILT_HOME}, else {@code ~/.quilt}. The system
 * property {@code quilt.home} wins over both, so that in-process callers (tests) can point a
 * command at a private home without changing the environment.
 */
public final class QuiltHome {
    private QuiltHome() {}

    public static Path dir() {
        String property = System.getProperty("quilt.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("QUILT_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".quilt");
    }

    /** The local devnet's directory unless {@code --dir} says otherwise. */
    public static Path devnet(Path override) {
        return override != null ? override.toAbsolutePath() : dir().resolve("devnet").toAbsolutePath();
    }
}
