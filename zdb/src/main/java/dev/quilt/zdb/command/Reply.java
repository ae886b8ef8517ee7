package dev.quilt.zdb.command;

import dev.quilt.zdb.resp.RespValue;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a command answers: a value now, or a future completed later on the event loop (WAIT, COMPACT).
 *
 * @param value  the reply when known now, else null
 * @param later  completes with the reply when it is not known now, else null
 * @param write  the command changed stored data: the reply may only leave once the write is flushed
 *               (or, with {@code --sync}, durable)
 * @param close  close the connection once this reply is sent
 */
public record Reply(RespValue value, CompletableFuture<RespValue> later, boolean write, boolean close) {

    public Reply {
        if ((value == null) == (later == null)) {
            throw new IllegalArgumentException("exactly one of value and later must be set");
        }
    }

    static Reply of(RespValue value) {
        return new Reply(Objects.requireNonNull(value), null, false, false);
    }

    static Reply written(RespValue value) {
        return new Reply(Objects.requireNonNull(value), null, true, false);
    }

    static Reply error(String message) {
        return of(RespValue.error(message));
    }

    static Reply closing(String message) {
        return new Reply(RespValue.error(message), null, false, true);
    }

    static Reply later(CompletableFuture<RespValue> future) {
        return new Reply(null, future, false, false);
    }

    static Reply ok() {
        return of(RespValue.OK);
    }
}
