package dev.quilt.zstor.daemon;

import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket's requests for the command line ({@link DaemonClient}): {@code store <key> <file>},
 * {@code retrieve <key> <file>} and {@code status}, run on the daemon's store so its connection pools and
 * backend health serve them; everything else goes to the hook handler. Files are named by absolute path
 * and read or written by the daemon, which runs as the same user (the socket is owner-only), so no file
 * bytes cross the socket.
 */
final class ControlRequests implements ControlSocketServer.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);

    private final Zstor zstor;
    private final ControlSocketServer.Handler hooks;

    ControlRequests(Zstor zstor, ControlSocketServer.Handler hooks) {
        this.zstor = zstor;
        this.hooks = hooks;
    }

    @Override
    public ControlFrames.Reply handle(List<String> fields) {
        String request = fields.getFirst();
        return switch (request) {
            case "store", "retrieve" -> fields.size() != 3
                    ? ControlFrames.Reply.badRequest(request + " needs a key and an absolute file path (expected: "
                            + request + " <key> <file>)")
                    : transfer(request, fields.get(1), Path.of(fields.get(2)));
            case "status" -> ControlFrames.Reply.ok(ControlReplies.status(zstor.status()));
            default -> hooks.handle(fields);
        };
    }

    private ControlFrames.Reply transfer(String request, String key, Path file) {
        if (!file.isAbsolute()) {
            return ControlFrames.Reply.badRequest(request + ": " + file + " is not an absolute path");
        }
        try {
            ObjectInfo info = request.equals("store") ? store(key, file) : retrieve(key, file);
            LOG.atInfo().addKeyValue("key", key).addKeyValue("file", file).addKeyValue("bytes", info.size())
                    .log("event=" + request + "d_for_client");
            return ControlFrames.Reply.ok(ControlReplies.info(info));
        } catch (ObjectNotFoundException e) {
            return ControlFrames.Reply.notFound(e.getMessage());
        } catch (IOException e) {
            return ControlFrames.Reply.failed(e.getMessage());
        }
    }

    private ObjectInfo store(String key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return zstor.store(key, in, n -> { });
        }
    }

    /** Writes into the client's file (a temp file it renames once this answered ok) and forces it to disk. */
    private ObjectInfo retrieve(String key, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            ObjectInfo info = zstor.retrieve(key, out, n -> { });
            out.flush();
            channel.force(true);
            return info;
        }
    }
}
