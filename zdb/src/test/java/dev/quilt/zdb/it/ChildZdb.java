package dev.quilt.zdb.it;

import dev.quilt.testkit.Await;
import dev.quilt.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link ZdbChildMain} process: started on given directories, killed with SIGKILL. */
final class ChildZdb implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("READY (\\d+)");

    private final JavaProcess process;
    private final int port;

    private ChildZdb(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static ChildZdb start(Path data, Path index, long dataFileSize, boolean sync) {
        JavaProcess p = JavaProcess.start(ZdbChildMain.class,
                List.of(data.toString(), index.toString(), Long.toString(dataFileSize), Boolean.toString(sync)));
        try {
            Await.until(() -> READY.matcher(p.output()).find() || !p.isAlive(), Duration.ofSeconds(60), p::output);
            Matcher m = READY.matcher(p.output());
            if (!m.find()) {
                throw new IllegalStateException("child zdb exited before READY: " + p.output());
            }
            return new ChildZdb(p, Integer.parseInt(m.group(1)));
        } catch (RuntimeException | Error e) {
            p.kill();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no flush, no fsync. */
    void kill() {
        process.kill();
    }

    @Override
    public void close() {
        kill();
    }
}
