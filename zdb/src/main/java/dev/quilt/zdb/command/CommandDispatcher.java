package dev.quilt.zdb.command;

import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.zdb.resp.RespValue;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs requests against the store: table lookup, access rules, the command, statistics and WAIT wake-ups.
 *
 * <p>Confined to the event loop that owns the store.
 */
public final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    static final String NAMESPACE_GONE = "Your active namespace is not available anymore (probably removed).";
    static final String NOT_SUPPORTED = "Command not supported";

    private final CommandEnvironment env;
    private final CommandTable table;
    private final WaitRegistry waits;
    private final Map<String, MetricsRegistry.Counter> executed = new HashMap<>();
    private final Map<String, MetricsRegistry.Counter> failed = new HashMap<>();

    public CommandDispatcher(CommandEnvironment env) {
        this.env = env;
        this.waits = new WaitRegistry(env);
        KeyCommands keys = new KeyCommands(env);
        ScanCommands scans = new ScanCommands();
        NamespaceCommands namespaces = new NamespaceCommands(env);
        AuthCommands auth = new AuthCommands(env);
        AdminCommands admin = new AdminCommands(env);
        this.table = new CommandTable(List.of(
                new CommandSpec("*", false, admin::star),
                new CommandSpec("WAIT", false, this::await),
                new CommandSpec("MIRROR", true, admin::replication),
                new CommandSpec("MASTER", true, admin::replication),
                new CommandSpec("PING", false, admin::ping),
                new CommandSpec("TIME", false, admin::time),
                new CommandSpec("AUTH", false, auth::auth),
                new CommandSpec("HOOKS", true, admin::hooks),
                new CommandSpec("INDEX", true, admin::index),
                new CommandSpec("DATA", true, admin::data),
                new CommandSpec("SET", false, keys::set),
                new CommandSpec("SETX", false, keys::set),
                new CommandSpec("GET", false, keys::get),
                new CommandSpec("MGET", false, keys::mget),
                new CommandSpec("DEL", false, keys::del),
                new CommandSpec("EXISTS", false, keys::exists),
                new CommandSpec("CHECK", false, keys::check),
                new CommandSpec("SCAN", false, scans::scan),
                new CommandSpec("SCANX", false, scans::scan),
                new CommandSpec("RSCAN", false, scans::rscan),
                new CommandSpec("KSCAN", false, scans::kscan),
                new CommandSpec("HISTORY", false, keys::history),
                new CommandSpec("KEYCUR", false, keys::keycur),
                new CommandSpec("LENGTH", false, keys::length),
                new CommandSpec("KEYTIME", false, keys::keytime),
                new CommandSpec("INFO", false, admin::info),
                new CommandSpec("STOP", false, admin::stop),
                new CommandSpec("DBSIZE", false, keys::dbsize),
                new CommandSpec("NSNEW", true, namespaces::nsnew),
                new CommandSpec("NSDEL", true, namespaces::nsdel),
                new CommandSpec("NSLIST", false, namespaces::nslist),
                new CommandSpec("NSSET", true, namespaces::nsset),
                new CommandSpec("NSINFO", false, namespaces::nsinfo),
                new CommandSpec("NSJUMP", true, namespaces::nsjump),
                new CommandSpec("SELECT", false, namespaces::select),
                new CommandSpec("RELOAD", true, namespaces::reload),
                new CommandSpec("FLUSH", false, namespaces::flush),
                new CommandSpec("COMPACT", true, admin::compact),
                new CommandSpec("ECHO", false, admin::echo)));
        for (CommandSpec spec : table.specs()) {
            executed.put(spec.name(), env.metrics().counter("zdb_commands_total", "Commands executed, by command",
                    "command", spec.name()));
            failed.put(spec.name(), env.metrics().counter("zdb_commands_failed_total",
                    "Commands answered with an error, by command", "command", spec.name()));
        }
    }

    /** A new connection: in {@code default}, admin when no admin password is set, read-only under --protect. */
    public Session newSession(String peer) {
        Namespace initial = env.store().namespace(Store.DEFAULT_NAMESPACE)
                .orElseThrow(() -> new IllegalStateException("the store has no default namespace"));
        env.stats().clientsLifetime.incrementAndGet();
        return new Session(peer, initial, env.adminPassword().isEmpty(), env.protect());
    }

    /** The connection closed: forget its WAIT. */
    public void disconnected(Session session) {
        waits.cancel(session);
    }

    /** Runs one request (at least one argument). */
    public Reply dispatch(Session session, List<byte[]> request) {
        if (session.namespace().isDeleted()) {
            session.closing();
            env.stats().commandsFailed.incrementAndGet();
            return Reply.closing(NAMESPACE_GONE);
        }
        Arguments args = new Arguments(request);
        CommandSpec spec = table.lookup(args.bytes(0));
        if (spec == null) {
            env.stats().commandsFailed.incrementAndGet();
            if (LOG.isDebugEnabled()) {
                LOG.debug("event=unknown_command name={} {}", new String(args.bytes(0), StandardCharsets.ISO_8859_1), session);
            }
            return Reply.error(NOT_SUPPORTED);
        }
        Reply reply;
        if (spec.adminOnly() && !session.isAdmin()) {
            env.stats().commandsUnauthorized.incrementAndGet();
            reply = Reply.error("Permission denied");
        } else {
            try {
                reply = spec.handler().run(session, args);
            } catch (RuntimeException e) {
                LOG.error("event=command_crashed command={} {}", spec.name(), session, e);
                reply = Reply.error("Internal Error");
            }
        }
        env.stats().commandsExecuted.incrementAndGet();
        executed.get(spec.name()).increment();
        if (reply.value() instanceof RespValue.Error) {
            env.stats().commandsFailed.incrementAndGet();
            failed.get(spec.name()).increment();
        }
        if (!spec.name().equals("*")) {
            waits.ran(session, session.namespace().name(), spec.name());
        }
        return reply;
    }

    /** WAIT command|* [timeout_ms]. */
    private Reply await(Session session, Arguments args) {
        if (args.count() != 2 && args.count() != 3) {
            return Reply.error("Invalid arguments");
        }
        String command;
        if (args.string(1).equals(WaitRegistry.ANY)) {
            command = WaitRegistry.ANY;
        } else {
            CommandSpec watched = args.isEmpty(1) ? null : table.lookup(args.bytes(1));
            if (watched == null || watched.name().equals("*")) {
                return Reply.error("Unknown command to watch");
            }
            command = watched.name();
        }
        long timeout = 5000;
        if (args.count() == 3) {
            if (args.length(2) > 16) {
                return Reply.error("Invalid timeout");
            }
            timeout = args.atoll(2);
            if (timeout < 100 || timeout > 1_800_000) {
                return Reply.error("Invalid timeout");
            }
        }
        return Reply.later(waits.await(session, command, timeout));
    }

    int waiting() {
        return waits.size();
    }
}
