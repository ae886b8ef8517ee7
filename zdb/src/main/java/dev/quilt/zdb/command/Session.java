package dev.quilt.zdb.command;

import dev.quilt.zdb.store.Namespace;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one client connection: its namespace, its rights and its pending WAIT.
 *
 * <p>Confined to the event loop. Created by {@link CommandDispatcher#newSession}.
 */
public final class Session {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final String peer;
    private Namespace namespace;
    private boolean admin;
    private boolean readOnly;
    private String nonce;
    private boolean closing;

    Session(String peer, Namespace namespace, boolean admin, boolean readOnly) {
        this.peer = peer;
        this.namespace = namespace;
        this.admin = admin;
        this.readOnly = readOnly;
    }

    /** A number unique among the sessions of this process, for logs. */
    public long id() {
        return id;
    }

    /** The remote address, for logs. */
    public String peer() {
        return peer;
    }

    /** The selected namespace (possibly deleted by another client since). */
    public Namespace namespace() {
        return namespace;
    }

    public boolean isAdmin() {
        return admin;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** True once a reply asked for the connection to be closed. */
    public boolean isClosing() {
        return closing;
    }

    void select(Namespace namespace, boolean readOnly) {
        this.namespace = namespace;
        this.readOnly = readOnly;
    }

    void admin(boolean admin) {
        this.admin = admin;
    }

    /** The AUTH SECURE CHALLENGE nonce (16 lowercase hex characters), or null when none was requested. */
    String nonce() {
        return nonce;
    }

    void nonce(String nonce) {
        this.nonce = nonce;
    }

    void closing() {
        this.closing = true;
    }

    @Override
    public String toString() {
        return "session=" + id + " peer=" + peer;
    }
}
