package dev.quilt.zdb.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link ZdbChildMain} process: started on given directories, killed with SIGKILL. */
final class ChildZdb implements AutoCloseable {
    private final Process process;
    private final int port;
    private final List<String> output = new ArrayList<>();

    private ChildZdb(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ChildZdb start(Path data, Path index, long dataFileSize, boolean sync) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ZdbChildMain.class.getName());
        cmd.add(data.toString());
        cmd.add(index.toString());
        cmd.add(Long.toString(dataFileSize));
        cmd.add(Boolean.toString(sync));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        List<String> seen = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                    if (line.startsWith("READY ")) {
                        ready.complete(Integer.parseInt(line.substring(6).trim()));
                    }
                }
            } catch (IOException ignored) {
                // the process died; the ready future reports it below
            }
            ready.completeExceptionally(new IOException("child zdb exited before READY: " + seen));
        });
        try {
            ChildZdb child = new ChildZdb(p, ready.get(60, TimeUnit.SECONDS));
            child.output.addAll(seen);
            return child;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("child zdb did not start: " + seen, e);
        }
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no flush, no fsync. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
