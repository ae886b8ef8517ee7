package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running mount's control socket, {@code <cache>/control.sock}: how {@code quilt fs seal} reaches a
 * mounted tree (whose metadata store the mount holds open). One request line, one reply line:
 * {@code seal NAME [HEIGHT]} → {@code ok <hex>} or {@code error <message>}.
 */
public final class FsControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FsControl.class);
    static final String SOCKET = "control.sock";

    private final ServerSocketChannel server;
    private final Path socket;
    private final Thread acceptor;

    private FsControl(ServerSocketChannel server, Path socket, FsMount mount, SnapshotCatalog catalog) {
        this.server = server;
        this.socket = socket;
        this.acceptor = Thread.ofVirtual().name("fs-control").start(() -> accept(mount, catalog));
    }

    /** Serves seal requests for {@code mount}, recording names in {@code catalog}. */
    public static FsControl serve(Path cacheDir, FsMount mount, SnapshotCatalog catalog) throws IOException {
        Path socket = cacheDir.resolve(SOCKET);
        Files.deleteIfExists(socket); // left by a mount that was killed; the metadata lock proves none runs
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new FsControl(server, socket, mount, catalog);
    }

    /** Seals and names a tree, the same way for a request over the socket and for an offline seal. */
    public static Hash256 sealAndName(FsMount mount, SnapshotCatalog catalog, String name, OptionalLong height)
            throws IOException {
        SnapshotCatalog.checkName(name);
        Hash256 hash = mount.seal(height);
        catalog.record(name, hash);
        return hash;
    }

    private void accept(FsMount mount, SnapshotCatalog catalog) {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().start(() -> handle(client, mount, catalog));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("event=fs.control.accept_failed error=\"{}\"", e.getMessage());
                }
                return;
            }
        }
    }

    private static void handle(SocketChannel client, FsMount mount, SnapshotCatalog catalog) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                StandardCharsets.UTF_8)); OutputStream out = Channels.newOutputStream(client)) {
            String line = in.readLine();
            String reply;
            String[] words = line == null ? new String[0] : line.strip().split(" ");
            if (words.length >= 2 && words.length <= 3 && words[0].equals("seal")) {
                try {
                    OptionalLong height = words.length == 3 ? OptionalLong.of(Long.parseLong(words[2])) : OptionalLong.empty();
                    reply = "ok " + sealAndName(mount, catalog, words[1], height).hex();
                } catch (IOException | RuntimeException e) {
                    reply = "error " + e.getMessage();
                }
            } else {
                reply = "error unknown request: " + line;
            }
            out.write((reply.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("event=fs.control.failed error=\"{}\"", e.getMessage());
        }
    }

    /**
     * Asks the mount running over {@code cacheDir} to seal; empty when none is running there.
     *
     * @throws IOException with the mount's own message when it could not seal
     */
    public static Optional<Hash256> requestSeal(Path cacheDir, String name, OptionalLong height) throws IOException {
        Path socket = cacheDir.resolve(SOCKET);
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException refused) {
            return Optional.empty(); // a socket file left by a killed mount
        }
        try (channel; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8))) {
            String request = "seal " + name + (height.isPresent() ? " " + height.getAsLong() : "") + "\n";
            Channels.newOutputStream(channel).write(request.getBytes(StandardCharsets.UTF_8));
            String reply = in.readLine();
            if (reply != null && reply.startsWith("ok ")) {
                return Optional.of(Hash256.fromHex(reply.substring(3).strip()));
            }
            throw new IOException(reply == null ? "the mount closed the control socket without an answer"
                    : reply.replaceFirst("^error ", ""));
        }
    }

    /** The cache directory of the quilt mount at {@code mountpoint}, from /proc/self/mounts; empty if none. */
    public static Optional<Path> cacheDirOf(Path mountpoint) throws IOException {
        String abs = mountpoint.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[1].equals(abs) && f[0].startsWith("quilt:")) {
                return Optional.of(Path.of(f[0].substring("quilt:".length()).replace("\\040", " ")));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("event=fs.control.close_failed error=\"{}\"", e.getMessage());
        }
        acceptor.interrupt();
    }
}
