package dev.quilt.zdb.command;

import dev.quilt.zdb.resp.RespValue;
import dev.quilt.zdb.store.CompactionReport;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.RawRecordOutcome;
import dev.quilt.zdb.store.StoreStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PING, TIME, INFO, STOP, HOOKS, INDEX, DATA, MIRROR, MASTER, COMPACT and the bare {@code *}.
 * Confined to the event loop, except the compaction itself, which runs on {@link CommandEnvironment#background()}.
 */
final class AdminCommands {

    private static final Logger LOG = LoggerFactory.getLogger(AdminCommands.class);

    static final String REPLICATION_UNSUPPORTED = "Replication is not supported by this server";
    static final String SERVER_NAME = "quilt zdb";
    static final String REVISION = "2.0.7-compatible";
    private static final int MAX_RAW_PAYLOAD = 8 * 1024 * 1024;

    private final CommandEnvironment env;

    AdminCommands(CommandEnvironment env) {
        this.env = env;
    }

    Reply star(Session session, Arguments args) {
        return Reply.error("This is not a valid command");
    }

    Reply ping(Session session, Arguments args) {
        return Reply.of(RespValue.simple("PONG"));
    }

    /**
     * ECHO is not 0-db's: it is added (after 0-db's whole table, so no prefix changes meaning) because
     * {@code redis-cli --pipe} ends a mass insertion with an ECHO and waits for it.
     */
    Reply echo(Session session, Arguments args) {
        if (args.count() != 2) {
            return Reply.error("Unexpected arguments");
        }
        return Reply.of(RespValue.bulk(args.bytes(1)));
    }

    Reply time(Session session, Arguments args) {
        java.time.Instant now = env.clock().instant();
        return Reply.of(RespValue.array(RespValue.bulk(Long.toString(now.getEpochSecond())),
                RespValue.bulk(Long.toString(now.getNano() / 1000))));
    }

    Reply stop(Session session, Arguments args) {
        return Reply.error("Unauthorized");
    }

    Reply replication(Session session, Arguments args) {
        return Reply.error(REPLICATION_UNSUPPORTED);
    }

    Reply info(Session session, Arguments args) {
        ServerStats s = env.stats();
        StoreStats st = env.store().stats();
        StringBuilder out = new StringBuilder();
        out.append("# server\n");
        field(out, "server_name", SERVER_NAME);
        field(out, "server_revision", REVISION);
        field(out, "engine_revision", REVISION);
        field(out, "instance_id", env.instanceId());
        field(out, "boot_time", env.bootTime());
        field(out, "uptime", env.now() - env.bootTime());
        out.append("\n# clients\n");
        field(out, "clients_lifetime", s.clientsLifetime.get());
        out.append("\n# internals\n");
        field(out, "sequential_key_size", 8);
        field(out, "data_version", 3);
        field(out, "index_version", 4);
        out.append("\n# stats\n");
        field(out, "commands_executed", s.commandsExecuted.get());
        field(out, "commands_failed", s.commandsFailed.get());
        field(out, "commands_unauthorized", s.commandsUnauthorized.get());
        field(out, "index_disk_read_failed", st.indexReadFailed());
        field(out, "index_disk_write_failed", st.indexWriteFailed());
        field(out, "data_disk_read_failed", st.dataReadFailed());
        field(out, "data_disk_write_failed", st.dataWriteFailed());
        bytes(out, "index_disk_read", st.indexReadBytes());
        bytes(out, "index_disk_write", st.indexWriteBytes());
        bytes(out, "data_disk_read", st.dataReadBytes());
        bytes(out, "data_disk_write", st.dataWriteBytes());
        bytes(out, "network_rx", s.networkRxBytes.get());
        bytes(out, "network_tx", s.networkTxBytes.get());
        return Reply.of(RespValue.bulk(out.toString()));
    }

    Reply hooks(Session session, Arguments args) {
        List<RespValue> runs = new ArrayList<>();
        for (HookRun run : env.hookRuns().get()) {
            List<RespValue> extra = new ArrayList<>();
            for (String arg : run.args()) {
                extra.add(RespValue.bulk(arg));
            }
            runs.add(RespValue.array(RespValue.bulk(run.event()), RespValue.array(extra), RespValue.integer(run.pid()),
                    RespValue.integer(run.created()), RespValue.integer(run.finished()), RespValue.integer(run.exitCode())));
        }
        return Reply.of(RespValue.array(runs));
    }

    /** Index files are never rewritten in place by this store, so the dirty list is always empty. */
    Reply index(Session session, Arguments args) {
        if (args.count() < 2 || !args.string(1).equalsIgnoreCase("DIRTY")) {
            return Reply.error("Unknown INDEX subcommand");
        }
        if (args.count() == 2) {
            return Reply.of(RespValue.array(List.of()));
        }
        if (args.count() == 3 && args.string(2).equalsIgnoreCase("RESET")) {
            return Reply.ok();
        }
        return Reply.error("Unknown INDEX DIRTY subcommand");
    }

    Reply data(Session session, Arguments args) {
        if (args.count() < 2 || !args.string(1).equalsIgnoreCase("RAW")) {
            return Reply.error("Unknown DATA subcommand");
        }
        if (args.count() != 4) {
            return Reply.error("Invalid Request");
        }
        Reply refused = Access.read(session);
        if (refused != null) {
            return refused;
        }
        try {
            return switch (session.namespace().rawRecord(args.atoll(2), args.atoll(3))) {
                case RawRecordOutcome.Record r -> {
                    if (r.payload() != null && r.payload().length > MAX_RAW_PAYLOAD) {
                        yield Reply.error("Unexpected Internal Error");
                    }
                    yield Reply.of(RespValue.array(RespValue.bulk(r.key()), RespValue.integer(r.previous()),
                            RespValue.bulk(String.format(Locale.ROOT, "0x%08x", r.crc())), RespValue.integer(r.flags()),
                            RespValue.integer(r.timestamp()),
                            r.payload() == null || r.payload().length == 0 ? RespValue.NIL : RespValue.bulk(r.payload())));
                }
                case RawRecordOutcome.EndOfFile eof -> Reply.error("EOF");
                case RawRecordOutcome.Invalid invalid -> Reply.error("Unexpected Internal Error");
            };
        } catch (IOException e) {
            LOG.error("event=data_raw_failed namespace={} {}", session.namespace().name(), session, e);
            return Reply.error("Unexpected Internal Error");
        }
    }

    /** COMPACT [namespace]: rewrites closed data files off the event loop; the reply comes when done. */
    Reply compact(Session session, Arguments args) {
        if (args.count() > 2) {
            return Reply.error("Unexpected arguments");
        }
        Namespace target = session.namespace();
        if (args.count() == 2) {
            Optional<Namespace> found = env.store().namespace(args.string(1));
            if (found.isEmpty()) {
                return Reply.error("Namespace not found");
            }
            target = found.get();
        }
        Namespace namespace = target;
        CompletableFuture<RespValue> reply = new CompletableFuture<>();
        LOG.info("event=compaction_started namespace={} {}", namespace.name(), session);
        env.background().execute(() -> {
            RespValue value;
            try {
                CompactionReport report = namespace.compact();
                LOG.info("event=compaction_done namespace={} files={} bytes_before={} bytes_after={} records_dropped={}",
                        namespace.name(), report.filesCompacted(), report.bytesBefore(), report.bytesAfter(),
                        report.recordsDropped());
                value = RespValue.simple(String.format(Locale.ROOT,
                        "OK files=%d bytes_before=%d bytes_after=%d records_dropped=%d",
                        report.filesCompacted(), report.bytesBefore(), report.bytesAfter(), report.recordsDropped()));
            } catch (IOException | RuntimeException e) {
                LOG.error("event=compaction_failed namespace={}", namespace.name(), e);
                value = RespValue.error("Compaction failed: " + String.valueOf(e.getMessage()).replaceAll("[\r\n]", " "));
            }
            RespValue done = value;
            env.loop().execute(() -> reply.complete(done));
        });
        return Reply.later(reply);
    }

    private static void field(StringBuilder out, String key, Object value) {
        out.append(key).append(": ").append(value).append('\n');
    }

    private static void bytes(StringBuilder out, String key, long value) {
        field(out, key + "_bytes", value);
        field(out, key + "_mb", String.format(Locale.ROOT, "%.2f", value / (1024.0 * 1024.0)));
    }
}
