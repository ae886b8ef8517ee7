package dev.quilt.zstor.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code quilt zstor hook <event> <instance-id> [args...]} does: forwards one zdb hook event to the daemon's
 * control socket and turns the answer into the hook's exit code.
 *
 * <p>Events the daemon does not need ({@code namespace-*}, {@code close}, {@code crash}, {@code jump-index}) are
 * answered with exit 0 without a connection, so a stopped daemon never blocks zdb on them. {@code ready} and
 * {@code missing-data} fail (exit 1) when the daemon cannot be reached: zdb should not serve offloaded data that
 * nothing can bring back. {@code jump-data} fails too, but loses nothing: the file stays on disk and the daemon's
 * rescan finds it.
 */
public final class HookClient {
    /** Events forwarded to the daemon. */
    public static final Set<String> FORWARDED = Set.of("ready", "jump-data", "missing-data");

    /**
     * The hook's outcome.
     *
     * @param exitCode what the hook exits with: 0 when the daemon did what the event asks
     * @param message the daemon's answer or why it could not be asked, for the hook's stderr
     */
    public record Result(int exitCode, String message) { }

    private HookClient() { }

    /** Forwards {@code event} to the daemon at {@code socket} and waits for its answer. */
    public static Result forward(Path socket, String event, String instanceId, List<String> args) {
        if (!FORWARDED.contains(event)) {
            return new Result(0, "");
        }
        List<String> fields = new ArrayList<>(args.size() + 3);
        fields.add("hook");
        fields.add(event);
        fields.add(instanceId);
        for (String arg : args) {
            // zdb passes data file paths as it knows them, relative to its working directory when its --data
            // is; the hook runs in that directory, the daemon may not.
            fields.add(event.equals("ready") || arg.isEmpty() ? arg : Path.of(arg).toAbsolutePath().normalize().toString());
        }
        try {
            ControlFrames.Reply reply = ControlFrames.exchange(socket, fields);
            return new Result(reply.status() == ControlFrames.OK ? 0 : 1, reply.message());
        } catch (IOException e) {
            return new Result(1, "cannot reach the zstor daemon on " + socket + ": " + e.getMessage()
                    + " (is `quilt zstor daemon` running with this socket?)");
        }
    }
}
