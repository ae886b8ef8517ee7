package dev.quilt.zdb;

import java.util.Locale;

/**
 * Which Netty transport serves connections. {@link #AUTO} takes the first one the kernel and the process allow
 * of epoll, io_uring and NIO (io_uring makes fewer system calls but was not faster where measured).
 */
public enum ZdbTransport {
    AUTO, IO_URING, EPOLL, NIO;

    /** The system property {@link #AUTO} obeys when set, so a deployment can pin a transport without a rebuild. */
    public static final String PROPERTY = "quilt.zdb.transport";

    /** Parses {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}; anything else is a one-line error. */
    public static ZdbTransport parse(String name) {
        for (ZdbTransport t : values()) {
            if (t.label().equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "': use auto, io_uring, epoll or nio");
    }

    /** The name flags and logs use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
