package dev.quilt.zstor.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the control socket's requests: zdb hook events forwarded by {@link HookClient}, and {@code ping}.
 *
 * <ul>
 *   <li>{@code ready}: ok (the daemon is up, which is what zdb needs to know);</li>
 *   <li>{@code jump-data <old> <new>}: queues the closed file {@code <old>} and answers at once;</li>
 *   <li>{@code missing-data <file>}: brings the file back and answers ok only once it is in place;</li>
 *   <li>any other event: ok, nothing to do.</li>
 * </ul>
 */
final class HookEvents implements ControlSocketServer.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(HookEvents.class);

    private final Optional<Offloader> offloader;
    private final DaemonMetrics metrics;

    HookEvents(Optional<Offloader> offloader, DaemonMetrics metrics) {
        this.offloader = offloader;
        this.metrics = metrics;
    }

    @Override
    public ControlFrames.Reply handle(List<String> fields) {
        if (fields.size() == 1 && fields.getFirst().equals("ping")) {
            return ControlFrames.Reply.ok("pong");
        }
        if (fields.size() < 3 || !fields.getFirst().equals("hook")) {
            return ControlFrames.Reply.badRequest("unknown request " + fields
                    + " (expected: hook <event> <instance-id> [args...], or ping)");
        }
        String event = fields.get(1);
        List<String> args = fields.subList(3, fields.size());
        metrics.hookRequest(event);
        LOG.atDebug().addKeyValue("hook", event).addKeyValue("instance", fields.get(2)).addKeyValue("args", args)
                .log("event=hook_received");
        return switch (event) {
            case "jump-data" -> jumpData(args);
            case "missing-data" -> missingData(args);
            default -> ControlFrames.Reply.ok("ok");
        };
    }

    private ControlFrames.Reply jumpData(List<String> args) {
        if (args.isEmpty()) {
            return ControlFrames.Reply.badRequest("jump-data needs the closed data file (expected: jump-data <old> <new>)");
        }
        if (offloader.isEmpty()) {
            return ControlFrames.Reply.failed("this daemon offloads nothing: set zdb_data_dir_path in the config");
        }
        try {
            boolean queued = offloader.get().offer(Path.of(args.getFirst()));
            return ControlFrames.Reply.ok(queued ? "queued " + args.getFirst()
                    : "queue full; " + args.getFirst() + " stays on disk and is stored after the next rescan");
        } catch (IllegalArgumentException e) {
            return ControlFrames.Reply.badRequest(e.getMessage());
        }
    }

    private ControlFrames.Reply missingData(List<String> args) {
        if (args.isEmpty()) {
            return ControlFrames.Reply.badRequest("missing-data needs the missing data file (expected: missing-data <file>)");
        }
        if (offloader.isEmpty()) {
            return ControlFrames.Reply.failed("this daemon offloads nothing: set zdb_data_dir_path in the config");
        }
        Path file = Path.of(args.getFirst());
        try {
            offloader.get().retrieve(file);
            return ControlFrames.Reply.ok("restored " + file);
        } catch (IllegalArgumentException e) {
            return ControlFrames.Reply.badRequest(e.getMessage());
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("file", file).addKeyValue("error", e.getMessage()).log("event=missing_data_failed");
            return ControlFrames.Reply.failed("cannot restore " + file + ": " + e.getMessage());
        }
    }
}
