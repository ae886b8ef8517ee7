package dev.quilt.zdb.command;

import dev.quilt.zdb.resp.RespValue;
import dev.quilt.zdb.store.DeleteOutcome;
import dev.quilt.zdb.store.EntryInfo;
import dev.quilt.zdb.store.HistoryOutcome;
import dev.quilt.zdb.store.MissingDataFileException;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.SetOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SET, GET, MGET, DEL, EXISTS, CHECK, LENGTH, KEYTIME, KEYCUR, HISTORY, DBSIZE. Confined to the event loop. */
final class KeyCommands {

    private static final Logger LOG = LoggerFactory.getLogger(KeyCommands.class);

    private final CommandEnvironment env;

    KeyCommands(CommandEnvironment env) {
        this.env = env;
    }

    Reply set(Session session, Arguments args) {
        if (args.count() != 3 && args.count() != 4) {
            return Reply.error("Unexpected arguments");
        }
        long timestamp = env.now();
        if (args.count() == 4) {
            if (!session.isAdmin()) {
                env.stats().commandsUnauthorized.incrementAndGet();
                return Reply.error(Access.PERMISSION_DENIED);
            }
            timestamp = args.atoll(3);
        }
        Reply refused = Access.write(session);
        if (refused != null) {
            return refused;
        }
        if (args.length(1) > Namespace.MAX_KEY_LENGTH) {
            return Reply.error("Key too large");
        }
        try {
            return switch (session.namespace().set(args.bytes(1), args.bytes(2), timestamp)) {
                case SetOutcome.Stored stored -> Reply.written(RespValue.bulk(stored.key()));
                case SetOutcome.Unchanged unchanged -> Reply.of(RespValue.NIL);
                case SetOutcome.Refused r -> Reply.error(r.message());
            };
        } catch (IOException e) {
            logFailure("set_failed", session, e);
            return Reply.error("Cannot write data right now");
        }
    }

    Reply get(Session session, Arguments args) {
        Reply refused = singleKey(session, args);
        if (refused != null) {
            return refused;
        }
        try {
            return Reply.of(RespValue.bulk(session.namespace().get(args.bytes(1))));
        } catch (IOException e) {
            logFailure("get_failed", session, e);
            return Reply.error("Internal Error");
        }
    }

    Reply mget(Session session, Arguments args) {
        if (args.count() < 2) {
            return Reply.error("Invalid arguments");
        }
        for (int i = 1; i < args.count(); i++) {
            if (args.length(i) > Namespace.MAX_KEY_LENGTH) {
                return Reply.error("Invalid key");
            }
        }
        Reply refused = Access.read(session);
        if (refused != null) {
            return refused;
        }
        List<RespValue> values = new ArrayList<>(args.count() - 1);
        try {
            for (int i = 1; i < args.count(); i++) {
                values.add(RespValue.bulk(session.namespace().get(args.bytes(i))));
            }
        } catch (IOException e) {
            logFailure("mget_failed", session, e);
            return Reply.error("Internal Error");
        }
        return Reply.of(RespValue.array(values));
    }

    Reply del(Session session, Arguments args) {
        if (args.count() != 2 && args.count() != 3) {
            return Reply.error("Unexpected arguments");
        }
        long timestamp = env.now();
        if (args.count() == 3) {
            if (!session.isAdmin()) {
                env.stats().commandsUnauthorized.incrementAndGet();
                return Reply.error(Access.PERMISSION_DENIED);
            }
            timestamp = args.atoll(2);
        }
        if (args.isEmpty(1)) {
            return Reply.error("Invalid argument");
        }
        if (args.length(1) > Namespace.MAX_KEY_LENGTH) {
            return Reply.error("Invalid key");
        }
        Reply refused = Access.write(session);
        if (refused != null) {
            return refused;
        }
        try {
            DeleteOutcome outcome = session.namespace().delete(args.bytes(1), timestamp);
            return switch (outcome) {
                case DELETED -> Reply.written(RespValue.OK);
                case NOT_FOUND -> Reply.error("Key not found");
                case WORM_PROTECTED -> Reply.error("Cannot delete a key when namespace is in worm mode");
            };
        } catch (IOException e) {
            logFailure("del_failed", session, e);
            return Reply.error("Cannot delete key (data)");
        }
    }

    Reply exists(Session session, Arguments args) {
        Reply refused = singleKey(session, args);
        if (refused != null) {
            return refused;
        }
        return Reply.of(RespValue.integer(session.namespace().exists(args.bytes(1)) ? 1 : 0));
    }

    Reply check(Session session, Arguments args) {
        Reply refused = singleKey(session, args);
        if (refused != null) {
            return refused;
        }
        Integer result = session.namespace().check(args.bytes(1));
        return Reply.of(result == null ? RespValue.NIL : RespValue.integer(result));
    }

    Reply length(Session session, Arguments args) {
        Reply refused = singleKey(session, args);
        if (refused != null) {
            return refused;
        }
        EntryInfo info = session.namespace().info(args.bytes(1));
        return Reply.of(info == null ? RespValue.NIL : RespValue.integer(info.length()));
    }

    Reply keytime(Session session, Arguments args) {
        Reply refused = singleKey(session, args);
        if (refused != null) {
            return refused;
        }
        EntryInfo info = session.namespace().info(args.bytes(1));
        return Reply.of(info == null ? RespValue.NIL : RespValue.integer(info.timestamp()));
    }

    Reply keycur(Session session, Arguments args) {
        Reply refused = singleKey(session, args);
        if (refused != null) {
            return refused;
        }
        byte[] cursor = session.namespace().cursorOf(args.bytes(1));
        return cursor == null ? Reply.error("Key not found") : Reply.of(RespValue.bulk(cursor));
    }

    Reply history(Session session, Arguments args) {
        if (args.count() != 2 && args.count() != 3) {
            return Reply.error("Invalid arguments");
        }
        if (args.isEmpty(1) || args.length(1) > Namespace.MAX_KEY_LENGTH) {
            return Reply.error("Invalid arguments");
        }
        byte[] ekey = null;
        if (args.count() == 3) {
            ekey = args.bytes(2);
            if (ekey.length != 8) {
                return Reply.error("Invalid arguments");
            }
            if (allZero(ekey)) {
                return Reply.error("No more history");
            }
        }
        Reply refused = Access.read(session);
        if (refused != null) {
            return refused;
        }
        try {
            return switch (session.namespace().history(args.bytes(1), ekey)) {
                case HistoryOutcome.Version v -> Reply.of(RespValue.array(
                        RespValue.bulk(v.previous()),
                        RespValue.bulk(Long.toString(v.timestamp()).getBytes(StandardCharsets.US_ASCII)),
                        RespValue.bulk(v.payload())));
                case HistoryOutcome.Refused r -> Reply.error(r.message());
            };
        } catch (IOException e) {
            logFailure("history_failed", session, e);
            return Reply.error("Internal Error");
        }
    }

    Reply dbsize(Session session, Arguments args) {
        return Reply.of(RespValue.integer(session.namespace().size()));
    }

    /** The checks of GET-like commands: exactly one non-empty key of at most 255 bytes, namespace readable. */
    private static Reply singleKey(Session session, Arguments args) {
        if (args.count() != 2) {
            return Reply.error("Unexpected arguments");
        }
        if (args.isEmpty(1)) {
            return Reply.error("Invalid argument");
        }
        if (args.length(1) > Namespace.MAX_KEY_LENGTH) {
            return Reply.error("Invalid key");
        }
        return Access.read(session);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** A data file being fetched back by the missing-data hook is expected, not an error worth a stack trace. */
    private static void logFailure(String event, Session session, IOException e) {
        if (e instanceof MissingDataFileException missing) {
            LOG.debug("event={} namespace={} missing={} {}", event, session.namespace().name(), missing.path(), session);
        } else {
            LOG.error("event={} namespace={} {}", event, session.namespace().name(), session, e);
        }
    }
}
