package dev.quilt.zstor.daemon;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.ZstorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command line's way to a running daemon: {@code store}, {@code retrieve} and {@code status} over its
 * control socket, so they share the daemon's connection pools and backend health instead of opening their
 * own. {@link #find} says whether a daemon answers; when none does, the command works directly.
 *
 * <pre>{@code
 * Optional<DaemonClient> daemon = DaemonClient.find(socket);
 * ObjectInfo info = daemon.isPresent() ? daemon.get().store(key, file) : zstor.store(key, in, progress);
 * }</pre>
 */
public final class DaemonClient {

    private final Path socket;

    private DaemonClient(Path socket) {
        this.socket = socket;
    }

    /** A client for the daemon at {@code socket}, when one answers a ping there. */
    public static Optional<DaemonClient> find(Path socket) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try {
            ControlFrames.Reply reply = ControlFrames.exchange(socket, List.of("ping"));
            return reply.status() == ControlFrames.OK ? Optional.of(new DaemonClient(socket)) : Optional.empty();
        } catch (IOException e) {
            // A socket file left by a daemon that died: nobody listens.
            return Optional.empty();
        }
    }

    public Path socket() {
        return socket;
    }

    /** The daemon stores {@code file} (read by the daemon) under {@code key}. */
    public ObjectInfo store(String key, Path file) throws IOException {
        return ControlReplies.info(ask("store", key, file.toAbsolutePath().normalize().toString()));
    }

    /** The daemon writes the object into {@code file}, which must exist, and forces it to disk. */
    public ObjectInfo retrieve(String key, Path file) throws IOException {
        return ControlReplies.info(ask("retrieve", key, file.toAbsolutePath().normalize().toString()));
    }

    /** The daemon's view of every backend. */
    public List<BackendStatus> status() throws IOException {
        return ControlReplies.status(ask("status"));
    }

    private String ask(String... fields) throws IOException {
        ControlFrames.Reply reply;
        try {
            reply = ControlFrames.exchange(socket, List.of(fields));
        } catch (IOException e) {
            throw new ZstorException("the zstor daemon on " + socket + " did not answer " + fields[0] + ": "
                    + e.getMessage(), e);
        }
        return switch (reply.status()) {
            case ControlFrames.OK -> reply.message();
            case ControlFrames.NOT_FOUND -> throw new ObjectNotFoundException(fields[1]);
            default -> throw new ZstorException(reply.message());
        };
    }
}
