package dev.quilt.zdb.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Commands queued on the client and sent together: all of them in one write on one connection, then all
 * their replies read in order. Use it to load or read many keys without a round trip per key.
 *
 * <pre>{@code
 * ZdbPipeline batch = zdb.pipeline();
 * for (byte[] key : keys) batch.get(key);
 * List<Object> values = batch.execute();   // byte[] or null per GET, in order
 * }</pre>
 *
 * <p>Replies come back as {@link ZdbClient#command(byte[]...)} returns them, except that an error reply is
 * <em>returned</em> as a {@link ZdbException} element instead of thrown, so one refused command does not hide
 * the others' results. Network trouble throws {@link java.io.UncheckedIOException}; how many of the commands
 * were applied is then unknown.
 *
 * <p>Not thread-safe: build and execute a pipeline on one thread. It can be reused after {@link #execute()}.
 */
public final class ZdbPipeline {
    private final ZdbClient client;
    private final List<byte[][]> commands = new ArrayList<>();

    ZdbPipeline(ZdbClient client) {
        this.client = client;
    }

    /** Queues any command. */
    public ZdbPipeline command(byte[]... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        commands.add(args.clone());
        return this;
    }

    /** Queues any command with UTF-8 arguments. */
    public ZdbPipeline command(String... args) {
        return command(ZdbClient.args(args));
    }

    /** Queues {@code SET key value}; its reply is the key ({@code byte[]}) or null when unchanged. */
    public ZdbPipeline set(byte[] key, byte[] value) {
        return command(ZdbClient.bytes("SET"), key, value);
    }

    /** Queues {@code GET key}; its reply is the value ({@code byte[]}) or null. */
    public ZdbPipeline get(byte[] key) {
        return command(ZdbClient.bytes("GET"), key);
    }

    /** Queues {@code DEL key}; its reply is {@code "OK"} or a {@link ZdbException} "Key not found". */
    public ZdbPipeline del(byte[] key) {
        return command(ZdbClient.bytes("DEL"), key);
    }

    /** Queues {@code EXISTS key}; its reply is {@code 1L} or {@code 0L}. */
    public ZdbPipeline exists(byte[] key) {
        return command(ZdbClient.bytes("EXISTS"), key);
    }

    /** Commands queued so far. */
    public int size() {
        return commands.size();
    }

    /** Sends every queued command, reads every reply, and empties the pipeline. */
    public List<Object> execute() {
        if (commands.isEmpty()) {
            return List.of();
        }
        List<byte[][]> batch = List.copyOf(commands);
        commands.clear();
        List<Object> replies = client.callAll(batch);
        List<Object> results = new ArrayList<>(replies.size());
        for (Object reply : replies) {
            results.add(reply instanceof ErrorReply error ? error.toException() : reply);
        }
        return results;
    }
}
