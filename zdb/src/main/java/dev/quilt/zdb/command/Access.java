package dev.quilt.zdb.command;

import dev.quilt.zdb.store.Namespace;

/** The namespace-state checks shared by data commands; each returns the refusal or null. */
final class Access {

    static final String READ_ONLY = "Namespace is in read-only mode";
    static final String LOCKED = "Namespace is temporarily locked (read-only)";
    static final String FROZEN = "Namespace is temporarily frozen (read-write disabled)";
    static final String PERMISSION_DENIED = "Permission denied";

    private Access() { }

    /** Reads are refused only while the namespace is frozen. */
    static Reply read(Session session) {
        return session.namespace().accessState() == Namespace.AccessState.FROZEN ? Reply.error(FROZEN) : null;
    }

    /** Writes need a read-write connection and an open namespace. */
    static Reply write(Session session) {
        if (session.isReadOnly()) {
            return Reply.error(READ_ONLY);
        }
        return switch (session.namespace().accessState()) {
            case FROZEN -> Reply.error(FROZEN);
            case LOCKED -> Reply.error(LOCKED);
            case OPEN -> null;
        };
    }
}
