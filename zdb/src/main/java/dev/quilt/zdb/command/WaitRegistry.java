package dev.quilt.zdb.command;

import dev.quilt.zdb.resp.RespValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connections blocked in WAIT. A waiter is woken by the next matching command that <em>another</em>
 * connection runs in the same namespace (its reply is {@code +NAME}), or by its timeout ({@code -Timeout}),
 * scheduled on the event loop. Confined to the event loop.
 */
final class WaitRegistry {

    /** Wildcard: any command wakes the waiter. */
    static final String ANY = "*";

    private record Waiter(Session session, String namespace, String command, CompletableFuture<RespValue> reply,
                          ScheduledFuture<?> timeout) { }

    private final CommandEnvironment env;
    private final List<Waiter> waiters = new ArrayList<>();

    WaitRegistry(CommandEnvironment env) {
        this.env = env;
    }

    /** Registers a waiter; the future completes on the event loop. */
    CompletableFuture<RespValue> await(Session session, String command, long timeoutMillis) {
        CompletableFuture<RespValue> reply = new CompletableFuture<>();
        ScheduledFuture<?> timeout = env.loop().schedule(() -> {
            if (waiters.removeIf(w -> w.reply() == reply)) {
                reply.complete(RespValue.error("Timeout"));
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        waiters.add(new Waiter(session, session.namespace().name(), command, reply, timeout));
        return reply;
    }

    /** {@code by} ran {@code command} (canonical name) in {@code namespace}: wake the matching waiters. */
    void ran(Session by, String namespace, String command) {
        if (waiters.isEmpty()) {
            return;
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.session() != by && w.namespace().equals(namespace)
                    && (w.command().equals(ANY) || w.command().equals(command))) {
                it.remove();
                w.timeout().cancel(false);
                w.reply().complete(RespValue.simple(command));
            }
        }
    }

    /** Drops the session's waiters without answering (it disconnected or changed namespace). */
    void cancel(Session session) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.session() == session) {
                it.remove();
                w.timeout().cancel(false);
                w.reply().cancel(false);
            }
        }
    }

    int size() {
        return waiters.size();
    }
}
