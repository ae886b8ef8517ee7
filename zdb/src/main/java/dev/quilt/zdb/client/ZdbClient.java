package dev.quilt.zdb.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A blocking client for zdb and 0-db, with a connection pool.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (ZdbClient zdb = ZdbClient.builder("127.0.0.1", 9900).build()) {
 *     zdb.set(key, value);
 *     byte[] back = zdb.get(key);                 // null when missing
 *     zdb.scan().forEach(e -> ...);               // every live key, in order of last write
 *     Iterator<ScanEntry> it = zdb.scan().iterator();   // the same, pulled batch by batch
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * Thread-safe. Each call borrows a pooled connection for its duration, so many threads (virtual threads
 * included: the client only parks, it never pins) can share one client. Calls block; set
 * {@linkplain Builder#readTimeout a read timeout} to bound them.
 *
 * <h2>Sessions</h2>
 * zdb keeps authentication and the selected namespace per connection. {@link #auth} and {@link #select}
 * run the command on one connection and, when the server accepts it, record it as the client's session;
 * every other pooled connection replays AUTH and SELECT before its next use. So a client behaves as one
 * logical session however many sockets it holds.
 *
 * <h2>Replies and failures</h2>
 * <ul>
 *   <li>nil ({@code $-1}) comes back as {@code null}, an empty {@link Optional} or {@link OptionalLong},
 *       as each method says;
 *   <li>a server error ({@code -text}) is thrown as {@link ZdbException} carrying the server's text, and the
 *       connection stays in the pool;
 *   <li>network trouble (refused, reset, read timeout, malformed reply) is thrown as
 *       {@link UncheckedIOException}; that connection and the idle ones are dropped, so after a server
 *       restart one call fails and the next ones reconnect. Commands are never retried: a SET that timed
 *       out may or may not have been applied.
 * </ul>
 *
 * <h2>Keys</h2>
 * Keys and values are bytes. In a sequential-mode namespace keys are 8-byte little-endian ids: use
 * {@link #setNew}, {@link #seqKey} and {@link #seqId}.
 */
public final class ZdbClient implements AutoCloseable {
    /** What CHECK found for a key. */
    public enum Check {
        /** The stored payload matches its CRC. */
        VALID,
        /** The stored payload does not match its CRC. */
        CORRUPT,
        /** The payload could not be read from disk. */
        UNREADABLE,
        /** No such key, or it was deleted. */
        MISSING
    }

    /**
     * One live key found by SCAN.
     *
     * @param key       the key (an 8-byte id in sequential mode)
     * @param length    its payload length in bytes
     * @param timestamp when it was last written (second precision)
     */
    public record ScanEntry(byte[] key, long length, Instant timestamp) { }

    /**
     * One SCAN reply: a batch of entries and the cursor to continue after them.
     *
     * @param cursor  the 17-byte position of the batch's last entry; pass it to {@link #scanBatch(byte[])}
     * @param entries at least one entry; the server decides how many (its batches are time-sliced)
     */
    public record ScanBatch(byte[] cursor, List<ScanEntry> entries) { }

    /**
     * One version of a key, from HISTORY.
     *
     * @param previous  the 8-byte reference of the version before this one, for
     *                  {@link #history(byte[], byte[])}; null when this is the oldest
     * @param timestamp when this version was written
     * @param value     this version's payload
     */
    public record HistoryEntry(byte[] previous, Instant timestamp, byte[] value) { }

    private static final String NO_MORE_DATA = "No more data";
    private static final String KEY_NOT_FOUND = "Key not found";
    private static final String NO_MORE_HISTORY = "No more history";

    private final ConnectionPool pool;
    private final String peer;
    private volatile Session session;

    private ZdbClient(ConnectionPool pool, String peer, Session session) {
        this.pool = pool;
        this.peer = peer;
        this.session = session;
    }

    /** A builder for a client of the server at {@code host:port}. */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** Configures and connects a {@link ZdbClient}. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration borrowTimeout = Duration.ofSeconds(60);
        private int maxConnections = 8;
        private Session session = Session.initial();

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
            }
            this.port = port;
        }

        /** How long to wait for TCP connect; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** How long one read may block before the call fails and the connection is dropped; default 60 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive("readTimeout", timeout);
            return this;
        }

        /** How long a call waits for a free connection when all are busy; default 60 s. */
        public Builder borrowTimeout(Duration timeout) {
            this.borrowTimeout = positive("borrowTimeout", timeout);
            return this;
        }

        /** Most sockets open at once; default 8. */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections: " + max + " (expected: >= 1)");
            }
            this.maxConnections = max;
            return this;
        }

        /** Authenticate every connection as admin ({@code AUTH password}). */
        public Builder adminPassword(String password) {
            this.session = session.withAdmin(Objects.requireNonNull(password, "password"));
            return this;
        }

        /** Select this namespace on every connection ({@code SELECT name [password]}); password may be null. */
        public Builder namespace(String name, String password) {
            this.session = session.withNamespace(Objects.requireNonNull(name, "name"), password);
            return this;
        }

        /**
         * Connects once, applies AUTH and SELECT, and returns the client.
         *
         * @throws UncheckedIOException when the server cannot be reached
         * @throws ZdbException         when it refuses AUTH or SELECT
         */
        public ZdbClient build() {
            InetSocketAddress address = new InetSocketAddress(host, port);
            ConnectionPool pool = new ConnectionPool(address, connectTimeout, readTimeout, borrowTimeout, maxConnections);
            ZdbClient client = new ZdbClient(pool, host + ":" + port, session);
            try {
                client.ping();
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            return client;
        }

        private static Duration positive(String name, Duration value) {
            if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: 1 ms .. 24 days)");
            }
            return value;
        }
    }

    // ---- sequential ids ----------------------------------------------------------------------------

    /** The 8-byte little-endian key of sequential id {@code id}. */
    public static byte[] seqKey(long id) {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array();
    }

    /** The id an 8-byte little-endian sequential key stands for. */
    public static long seqId(byte[] key) {
        if (key.length != Long.BYTES) {
            throw new IllegalArgumentException("sequential key length: " + key.length + " (expected: 8)");
        }
        return ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    // ---- data commands -----------------------------------------------------------------------------

    /** {@code PING}: the server's answer, {@code "PONG"}. */
    public String ping() {
        return (String) call(args("PING"));
    }

    /**
     * {@code SET key value}.
     *
     * @return the key the server stored (in sequential mode, the 8-byte id), or null when the key already
     *         held exactly this value and nothing was written
     */
    public byte[] set(byte[] key, byte[] value) {
        return (byte[]) call(new byte[][] {bytes("SET"), key, value});
    }

    /** {@code SET key value} with a UTF-8 key and value; see {@link #set(byte[], byte[])}. */
    public byte[] set(String key, String value) {
        return set(bytes(key), bytes(value));
    }

    /** In a sequential namespace, appends {@code value} under a new id and returns that id. */
    public long setNew(byte[] value) {
        byte[] id = set(new byte[0], value);
        if (id == null) {
            throw new ZdbException("server assigned no id to a new value");
        }
        return seqId(id);
    }

    /** {@code GET key}: the value, or null when the key is missing or deleted. */
    public byte[] get(byte[] key) {
        return (byte[]) call(new byte[][] {bytes("GET"), key});
    }

    /** {@code GET key} with a UTF-8 key; see {@link #get(byte[])}. */
    public byte[] get(String key) {
        return get(bytes(key));
    }

    /** {@code MGET k1 k2 ...}: one value per key, in order, null for each missing one. */
    public List<byte[]> mget(byte[]... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("mget needs at least one key");
        }
        byte[][] args = new byte[keys.length + 1][];
        args[0] = bytes("MGET");
        System.arraycopy(keys, 0, args, 1, keys.length);
        List<Object> replies = array(call(args));
        List<byte[]> values = new ArrayList<>(replies.size());
        for (Object reply : replies) {
            values.add((byte[]) reply);
        }
        return values;
    }

    /** {@code DEL key}: true when the key was deleted, false when there was no such key. */
    public boolean del(byte[] key) {
        try {
            call(new byte[][] {bytes("DEL"), key});
            return true;
        } catch (ZdbException e) {
            if (KEY_NOT_FOUND.equals(e.getMessage())) {
                return false;
            }
            throw e;
        }
    }

    /** {@code EXISTS key}. */
    public boolean exists(byte[] key) {
        return (Long) call(new byte[][] {bytes("EXISTS"), key}) == 1;
    }

    /** {@code CHECK key}: whether the stored payload still matches its checksum. */
    public Check check(byte[] key) {
        Object reply = call(new byte[][] {bytes("CHECK"), key});
        if (reply == null) {
            return Check.MISSING;
        }
        long code = (Long) reply;
        return code == 1 ? Check.VALID : code == 0 ? Check.CORRUPT : Check.UNREADABLE;
    }

    /** {@code LENGTH key}: the payload length, or empty when the key is missing or deleted. */
    public OptionalLong length(byte[] key) {
        Object reply = call(new byte[][] {bytes("LENGTH"), key});
        return reply == null ? OptionalLong.empty() : OptionalLong.of((Long) reply);
    }

    /** {@code KEYTIME key}: when the key was last written, or empty when it is missing or deleted. */
    public Optional<Instant> keytime(byte[] key) {
        Object reply = call(new byte[][] {bytes("KEYTIME"), key});
        return reply == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond((Long) reply));
    }

    /** {@code KEYCUR key}: the 17-byte SCAN cursor of the key's entry, or empty when there is no such key. */
    public Optional<byte[]> keycur(byte[] key) {
        try {
            return Optional.of((byte[]) call(new byte[][] {bytes("KEYCUR"), key}));
        } catch (ZdbException e) {
            if (KEY_NOT_FOUND.equals(e.getMessage())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code DBSIZE}: live keys in the selected namespace. */
    public long dbsize() {
        return (Long) call(args("DBSIZE"));
    }

    // ---- scan and history --------------------------------------------------------------------------

    /**
     * Every live key of the selected namespace, in order of last write, fetched lazily batch by batch
     * with {@code SCAN}. The stream ends at the server's {@code -No more data}. Each batch is one call, so
     * keys written while the stream is consumed may or may not appear.
     */
    public Stream<ScanEntry> scan() {
        return entries("SCAN", null);
    }

    /** Like {@link #scan()}, starting after the entry at {@code cursor} (from KEYCUR or a batch). */
    public Stream<ScanEntry> scan(byte[] cursor) {
        return entries("SCAN", Objects.requireNonNull(cursor, "cursor"));
    }

    /** Like {@link #scan()}, newest first ({@code RSCAN}). */
    public Stream<ScanEntry> rscan() {
        return entries("RSCAN", null);
    }

    /**
     * One {@code SCAN} call: the first batch when {@code cursor} is null, else the batch after it;
     * empty at the end.
     */
    public Optional<ScanBatch> scanBatch(byte[] cursor) {
        return batch("SCAN", cursor);
    }

    /** {@code HISTORY key}: the current version and a reference to the one before, or empty for no such key. */
    public Optional<HistoryEntry> history(byte[] key) {
        return history(new byte[][] {bytes("HISTORY"), key});
    }

    /** {@code HISTORY key previous}: an older version, or empty when the chain has ended. */
    public Optional<HistoryEntry> history(byte[] key, byte[] previous) {
        return history(new byte[][] {bytes("HISTORY"), key, previous});
    }

    // ---- namespaces and sessions -------------------------------------------------------------------

    /** {@code NSNEW name} (admin). */
    public void nsnew(String name) {
        call(args("NSNEW", name));
    }

    /** {@code NSDEL name} (admin). */
    public void nsdel(String name) {
        call(args("NSDEL", name));
    }

    /** {@code NSLIST}: every namespace name, {@code default} first. */
    public List<String> nslist() {
        List<String> names = new ArrayList<>();
        for (Object name : array(call(args("NSLIST")))) {
            names.add(text(name));
        }
        return names;
    }

    /** {@code NSINFO name}: its {@code key: value} lines as an ordered map. */
    public Map<String, String> nsinfo(String name) {
        return fields(text(call(args("NSINFO", name))));
    }

    /** {@code NSSET name property value} (admin): maxsize, password, public, worm, mode, lock or freeze. */
    public void nsset(String name, String property, String value) {
        call(args("NSSET", name, property, value));
    }

    /** {@code SELECT name}; from now on every connection of this client uses it. */
    public void select(String name) {
        changeSession(session.withNamespace(name, null));
    }

    /** {@code SELECT name password}; from now on every connection of this client uses it. */
    public void select(String name, String password) {
        changeSession(session.withNamespace(name, Objects.requireNonNull(password, "password")));
    }

    /** {@code AUTH password}; from now on every connection of this client is admin. */
    public void auth(String password) {
        changeSession(session.withAdmin(Objects.requireNonNull(password, "password")));
    }

    /** {@code INFO}: its {@code key: value} lines as an ordered map (section headers left out). */
    public Map<String, String> info() {
        return fields(text(call(args("INFO"))));
    }

    // ---- anything else ------------------------------------------------------------------------------

    /**
     * Sends any command and returns its reply as plain values: a status line as {@link String}, an integer
     * as {@link Long}, a bulk string as {@code byte[]}, an array as {@link List}, nil as null.
     *
     * @throws ZdbException when the server answers with an error
     */
    public Object command(byte[]... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        return call(args);
    }

    /** {@link #command(byte[]...)} with UTF-8 arguments. */
    public Object command(String... args) {
        return command(args(args));
    }

    /** A batch of commands sent in one write; see {@link ZdbPipeline}. */
    public ZdbPipeline pipeline() {
        return new ZdbPipeline(this);
    }

    /** Closes idle connections now and the others as their calls finish. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ZdbClient[" + peer + "]";
    }

    // ---- internals ---------------------------------------------------------------------------------

    /** Sends a batch on one connection; error replies are returned as values. Used by {@link ZdbPipeline}. */
    List<Object> callAll(List<byte[][]> commands) {
        Connection connection = borrow();
        boolean healthy = false;
        try {
            List<Object> replies = connection.pipeline(commands);
            healthy = true;
            return replies;
        } catch (IOException e) {
            throw networkFailure(e);
        } finally {
            pool.release(connection, healthy);
        }
    }

    private Object call(byte[][] args) {
        Connection connection = borrow();
        boolean healthy = false;
        try {
            Object reply = connection.call(args);
            healthy = true;
            return unwrap(reply);
        } catch (IOException e) {
            throw networkFailure(e);
        } finally {
            pool.release(connection, healthy);
        }
    }

    /** A connection brought to the current session. */
    private Connection borrow() {
        Connection connection;
        try {
            connection = pool.borrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Session wanted = session;
        if (connection.session == wanted) {
            return connection;
        }
        boolean healthy = false;
        try {
            for (byte[][] command : wanted.commands(connection.session == null)) {
                unwrap(connection.call(command));
            }
            connection.session = wanted;
            healthy = true;
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!healthy) {
                pool.release(connection, false);
            }
        }
    }

    /** Runs the new session's commands on one connection and adopts it only if the server accepts them. */
    private void changeSession(Session next) {
        Connection connection = borrow();
        boolean healthy = false;
        try {
            for (byte[][] command : next.commands(false)) {
                unwrap(connection.call(command));
            }
            healthy = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (healthy) {
                connection.session = next;
                session = next;
            } else {
                // its state is now unknown; a fresh connection is cheaper than reasoning about it
                connection.session = null;
            }
            pool.release(connection, healthy);
        }
    }

    private Stream<ScanEntry> entries(String command, byte[] start) {
        Iterator<ScanEntry> iterator = new Iterator<>() {
            private byte[] cursor = start;
            private Iterator<ScanEntry> current = List.<ScanEntry>of().iterator();
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && !done) {
                    Optional<ScanBatch> next = batch(command, cursor);
                    if (next.isEmpty()) {
                        done = true;
                    } else {
                        cursor = next.get().cursor();
                        current = next.get().entries().iterator();
                    }
                }
                return current.hasNext();
            }

            @Override
            public ScanEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    private Optional<ScanBatch> batch(String command, byte[] cursor) {
        Object reply;
        try {
            reply = call(cursor == null ? args(command) : new byte[][] {bytes(command), cursor});
        } catch (ZdbException e) {
            if (NO_MORE_DATA.equals(e.getMessage())) {
                return Optional.empty();
            }
            throw e;
        }
        List<Object> parts = array(reply);
        List<Object> rawEntries = array(parts.get(1));
        List<ScanEntry> entries = new ArrayList<>(rawEntries.size());
        for (Object raw : rawEntries) {
            List<Object> entry = array(raw);
            entries.add(new ScanEntry((byte[]) entry.get(0), (Long) entry.get(1), Instant.ofEpochSecond((Long) entry.get(2))));
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ScanBatch((byte[]) parts.get(0), List.copyOf(entries)));
    }

    private Optional<HistoryEntry> history(byte[][] args) {
        try {
            List<Object> parts = array(call(args));
            long seconds = Long.parseLong(text(parts.get(1)));
            return Optional.of(new HistoryEntry((byte[]) parts.get(0), Instant.ofEpochSecond(seconds), (byte[]) parts.get(2)));
        } catch (ZdbException e) {
            if (KEY_NOT_FOUND.equals(e.getMessage()) || NO_MORE_HISTORY.equals(e.getMessage())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A call failed on the network: the idle connections are as suspect as this one. */
    private UncheckedIOException networkFailure(IOException e) {
        pool.discardIdle();
        return new UncheckedIOException(e);
    }

    private static Object unwrap(Object reply) {
        if (reply instanceof ErrorReply error) {
            throw error.toException();
        }
        return reply;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object reply) {
        if (reply instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new ZdbException("expected an array reply, got " + describe(reply));
    }

    private static String text(Object reply) {
        return switch (reply) {
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            case String string -> string;
            default -> throw new ZdbException("expected a string reply, got " + describe(reply));
        };
    }

    private static String describe(Object reply) {
        return reply == null ? "nil" : reply instanceof byte[] b ? "bulk " + Arrays.toString(b) : reply.toString();
    }

    /** Parses INFO/NSINFO text: {@code key: value} lines; {@code #} headers and blank lines are skipped. */
    static Map<String, String> fields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isBlank() || line.startsWith("#") || colon < 0) {
                continue;
            }
            fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return fields;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[][] args(String... words) {
        return Session.args(words);
    }
}
