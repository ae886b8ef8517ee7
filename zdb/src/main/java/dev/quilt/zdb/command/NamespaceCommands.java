package dev.quilt.zdb.command;

import dev.quilt.zdb.resp.RespValue;
import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.NamespaceSettings;
import dev.quilt.zdb.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** NSNEW, NSDEL, NSLIST, NSSET, NSINFO, NSJUMP, SELECT, RELOAD, FLUSH. Confined to the event loop. */
final class NamespaceCommands {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceCommands.class);

    static final int MAX_NAME_LENGTH = 128;
    static final int MAX_PASSWORD_LENGTH = 255;
    static final int MAX_PROPERTY_VALUE_LENGTH = 63;

    private final CommandEnvironment env;

    NamespaceCommands(CommandEnvironment env) {
        this.env = env;
    }

    Reply nsnew(Session session, Arguments args) {
        if (args.count() < 2) {
            return Reply.error("Missing arguments");
        }
        if (args.count() > 2) {
            return Reply.error("Unexpected arguments");
        }
        if (args.isEmpty(1)) {
            return Reply.error("Invalid argument");
        }
        if (args.length(1) > MAX_NAME_LENGTH) {
            return Reply.error("Namespace too long");
        }
        String name = args.string(1);
        if (!allowedName(name)) {
            return Reply.error("This name is not allowed");
        }
        if (env.store().namespace(name).isPresent()) {
            return Reply.error("This namespace is not available");
        }
        try {
            env.store().create(name);
        } catch (IllegalArgumentException e) {
            return Reply.error("This name is not allowed");
        } catch (IllegalStateException e) {
            return Reply.error("This namespace is not available");
        } catch (IOException e) {
            LOG.error("event=nsnew_failed namespace={} {}", name, session, e);
            return Reply.error("Could not create namespace");
        }
        LOG.info("event=namespace_created namespace={} {}", name, session);
        return Reply.ok();
    }

    Reply nsdel(Session session, Arguments args) {
        if (args.count() != 2) {
            return Reply.error(args.count() < 2 ? "Missing arguments" : "Unexpected arguments");
        }
        if (args.length(1) > MAX_NAME_LENGTH) {
            return Reply.error("Namespace too long");
        }
        String name = args.string(1);
        if (name.equals(Store.DEFAULT_NAMESPACE)) {
            return Reply.error("Cannot remove default namespace");
        }
        Optional<Namespace> namespace = env.store().namespace(name);
        if (namespace.isEmpty()) {
            return Reply.error("This namespace doesn't exists");
        }
        if (session.namespace() == namespace.get()) {
            return Reply.error("Cannot remove namespace you're currently using.");
        }
        try {
            env.store().delete(name);
        } catch (IOException e) {
            LOG.error("event=nsdel_failed namespace={} {}", name, session, e);
            return Reply.error("Could not delete namespace");
        }
        LOG.info("event=namespace_deleted namespace={} {}", name, session);
        return Reply.ok();
    }

    Reply nslist(Session session, Arguments args) {
        List<RespValue> names = new ArrayList<>();
        for (String name : env.store().names()) {
            names.add(RespValue.bulk(name));
        }
        return Reply.of(RespValue.array(names));
    }

    Reply nsset(Session session, Arguments args) {
        if (args.count() < 4) {
            return Reply.error("Missing arguments");
        }
        if (args.count() > 4) {
            return Reply.error("Unexpected arguments");
        }
        if (args.length(1) > MAX_NAME_LENGTH) {
            return Reply.error("Namespace too long");
        }
        if (args.length(3) > MAX_PROPERTY_VALUE_LENGTH) {
            return Reply.error("Argument too long");
        }
        String name = args.string(1);
        Optional<Namespace> found = env.store().namespace(name);
        if (found.isEmpty()) {
            return Reply.error("Namespace not found");
        }
        Namespace namespace = found.get();
        String property = args.string(2).toLowerCase(Locale.ROOT);
        String value = args.string(3);
        boolean isDefault = name.equals(Store.DEFAULT_NAMESPACE);
        boolean one = value.startsWith("1");
        NamespaceSettings settings = namespace.settings();
        NamespaceSettings updated;
        switch (property) {
            case "maxsize", "password", "public", "worm" -> {
                if (isDefault) {
                    return Reply.error("Cannot update default namespace");
                }
                updated = switch (property) {
                    case "maxsize" -> settings.withMaxSize(Math.max(0, args.atoll(3)));
                    case "password" -> settings.withPassword(value.equals("*") ? Optional.empty() : Optional.of(value));
                    case "public" -> settings.withPublic(one);
                    default -> settings.withWorm(one);
                };
            }
            case "mode" -> {
                if (env.store().config().forcedMode().isPresent()) {
                    return Reply.error("This server instance is configured to use a single runtime mode");
                }
                if (!namespace.isFresh()) {
                    return Reply.error("Cannot change mode of used namespace");
                }
                Mode mode;
                if (value.equals(Mode.USER.flag())) {
                    mode = Mode.USER;
                } else if (value.equals(Mode.SEQ.flag())) {
                    mode = Mode.SEQ;
                } else {
                    return Reply.error("Invalid property value (expected: user, seq)");
                }
                updated = settings.withMode(mode);
            }
            case "lock", "freeze" -> {
                Namespace.AccessState state = !one ? Namespace.AccessState.OPEN
                        : property.equals("lock") ? Namespace.AccessState.LOCKED : Namespace.AccessState.FROZEN;
                namespace.accessState(state);
                // Runtime only: the store persists nothing, so the update event is ours to raise.
                env.events().namespaceUpdated(name);
                LOG.info("event=namespace_access namespace={} state={} {}", name, state, session);
                return Reply.ok();
            }
            default -> {
                return Reply.error("Invalid property");
            }
        }
        try {
            namespace.updateSettings(updated);
        } catch (IllegalStateException e) {
            return Reply.error("Cannot change mode of used namespace");
        } catch (IOException e) {
            LOG.error("event=nsset_failed namespace={} property={} {}", name, property, session, e);
            return Reply.error("Could not update namespace");
        }
        LOG.info("event=namespace_updated namespace={} property={} {}", name, property, session);
        return Reply.ok();
    }

    Reply nsinfo(Session session, Arguments args) {
        if (args.count() != 2) {
            return Reply.error(args.count() < 2 ? "Missing arguments" : "Unexpected arguments");
        }
        if (args.length(1) > MAX_NAME_LENGTH) {
            return Reply.error("Namespace too long");
        }
        Optional<Namespace> found = env.store().namespace(args.string(1));
        if (found.isEmpty()) {
            return Reply.error("Namespace not found");
        }
        Namespace ns = found.get();
        NamespaceSettings settings = ns.settings();
        Namespace.NamespaceStats stats = ns.stats();
        long dataSize = ns.dataSize();
        StringBuilder out = new StringBuilder();
        line(out, "# namespace");
        field(out, "name", ns.name());
        field(out, "entries", ns.size());
        field(out, "public", yes(settings.isPublic()));
        field(out, "worm", yes(settings.worm()));
        field(out, "locked", yes(ns.accessState() != Namespace.AccessState.OPEN));
        field(out, "password", yes(password(ns).isPresent()));
        field(out, "data_size_bytes", dataSize);
        field(out, "data_size_mb", String.format(Locale.ROOT, "%.2f", dataSize / (1024.0 * 1024.0)));
        field(out, "data_limits_bytes", settings.maxSize());
        field(out, "index_size_bytes", stats.indexMemoryBytes());
        field(out, "index_size_kb", String.format(Locale.ROOT, "%.2f", stats.indexMemoryBytes() / 1024.0));
        field(out, "next_internal_id", String.format(Locale.ROOT, "0x%08x", Long.reverseBytes(stats.nextSeqId())));
        field(out, "mode", ns.mode().infoName());
        for (String prefix : List.of("stats_index", "stats_data")) {
            field(out, prefix + "_io_errors", 0);
            field(out, prefix + "_io_error_last", 0);
            field(out, prefix + "_faults", 0);
        }
        if (settings.maxSize() > 0) {
            field(out, "space_available", settings.maxSize() - dataSize);
        }
        long indexFree = freeSpace(stats.indexPath());
        long dataFree = freeSpace(stats.dataPath());
        field(out, "index_disk_freespace_bytes", indexFree);
        field(out, "index_disk_freespace_mb", String.format(Locale.ROOT, "%.2f", indexFree / (1024.0 * 1024.0)));
        field(out, "data_disk_freespace_bytes", dataFree);
        field(out, "data_disk_freespace_mb", String.format(Locale.ROOT, "%.2f", dataFree / (1024.0 * 1024.0)));
        if (session.isAdmin()) {
            field(out, "data_path", stats.dataPath());
            field(out, "data_active", stats.activeDataFile());
            field(out, "index_path", stats.indexPath());
            field(out, "index_active", stats.activeIndexFile());
            field(out, "data_current_id", stats.activeFileId());
            field(out, "data_current_offset", stats.activeDataOffset());
        }
        return Reply.of(RespValue.bulk(out.toString()));
    }

    Reply nsjump(Session session, Arguments args) {
        try {
            session.namespace().jump();
        } catch (IOException e) {
            LOG.error("event=nsjump_failed namespace={} {}", session.namespace().name(), session, e);
            return Reply.error("Internal Server Error");
        }
        LOG.info("event=namespace_jumped namespace={} {}", session.namespace().name(), session);
        return Reply.ok();
    }

    Reply select(Session session, Arguments args) {
        if (args.count() < 2 || args.isEmpty(1)) {
            return Reply.error("Invalid argument");
        }
        if (args.count() > 4) {
            return Reply.error("Too many arguments");
        }
        if (args.length(1) > MAX_NAME_LENGTH) {
            return Reply.error("Namespace too long");
        }
        Optional<Namespace> found = env.store().namespace(args.string(1));
        if (found.isEmpty()) {
            return Reply.error("Namespace not found");
        }
        Namespace target = found.get();
        Optional<String> password = password(target);
        if (args.count() == 4) {
            if (!args.isPrefixOf(2, "SECURE")) {
                return Reply.error("Only SECURE extra method supported");
            }
            if (session.nonce() == null) {
                return Reply.error("No CHALLENGE requested, secure authentication not available");
            }
            if (args.length(3) != 40) {
                return Reply.error("Invalid hash length");
            }
            // The nonce is deliberately not consumed here (0-db behaviour: one nonce serves several SELECTs).
            if (password.isPresent() && !AuthCommands.secureHash(session.nonce(), password.get()).equals(args.string(3))) {
                return Reply.error("Access denied");
            }
            return switchTo(session, target, false);
        }
        if (password.isEmpty()) {
            return switchTo(session, target, false);
        }
        if (args.count() == 2) {
            if (target.settings().isPublic()) {
                return switchTo(session, target, true);
            }
            return Reply.error("Namespace protected and private");
        }
        if (args.length(2) > MAX_PASSWORD_LENGTH) {
            return Reply.error("Password too long");
        }
        if (!password.get().equals(args.string(2))) {
            return Reply.error("Access denied");
        }
        return switchTo(session, target, false);
    }

    Reply reload(Session session, Arguments args) {
        if (args.count() != 2) {
            return Reply.error(args.count() < 2 ? "Missing arguments" : "Unexpected arguments");
        }
        Optional<Namespace> found = env.store().namespace(args.string(1));
        if (found.isEmpty()) {
            return Reply.error("Namespace not found");
        }
        try {
            found.get().reload();
        } catch (IOException e) {
            LOG.error("event=reload_failed namespace={} {}", args.string(1), session, e);
            return Reply.error("Internal Server Error");
        }
        LOG.info("event=namespace_reloaded namespace={} {}", args.string(1), session);
        return Reply.ok();
    }

    Reply flush(Session session, Arguments args) {
        Namespace ns = session.namespace();
        if (password(ns).isEmpty() || ns.settings().isPublic()) {
            return Reply.error("Flushing public namespace denied");
        }
        Reply refused = Access.write(session);
        if (refused != null) {
            return refused;
        }
        try {
            ns.flushAll();
        } catch (IOException e) {
            LOG.error("event=flush_failed namespace={} {}", ns.name(), session, e);
            return Reply.error("Internal Server Error");
        }
        LOG.info("event=namespace_flushed namespace={} {}", ns.name(), session);
        return Reply.written(RespValue.OK);
    }

    /** The password SELECT checks: with --protect, default is guarded by the admin password. */
    Optional<String> password(Namespace namespace) {
        if (env.protect() && namespace.name().equals(Store.DEFAULT_NAMESPACE)) {
            return env.adminPassword();
        }
        return namespace.settings().password();
    }

    private Reply switchTo(Session session, Namespace target, boolean readOnly) {
        // A WAIT already pending keeps watching the namespace it was issued in.
        session.select(target, readOnly);
        return Reply.ok();
    }

    static boolean allowedName(String name) {
        return !name.isEmpty() && !name.equals(Store.DEFAULT_NAMESPACE) && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_LENGTH;
    }

    private static long freeSpace(Path path) {
        try {
            return Files.getFileStore(path).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }

    private static void field(StringBuilder out, String key, Object value) {
        out.append(key).append(": ").append(value).append('\n');
    }
}
