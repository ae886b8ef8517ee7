package dev.quilt.zstor.backend;

import dev.quilt.zdb.client.ZdbClient;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One zdb namespace that can hold shards: a host and port, an optional namespace (the server's
 * default namespace when empty), an optional namespace password, and an optional admin password of
 * the zdb, used only to create the namespace when it does not exist.
 *
 * <p>{@link #id()} names the backend in placement hashing and in metadata records; it does not
 * include the passwords, and {@link #toString()} never prints them.
 */
public record Backend(String host, int port, Optional<String> namespace, Optional<String> password,
        Optional<String> adminPassword) {

    public Backend {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(adminPassword, "adminPassword");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "port: %d (expected: 1..65535)", port));
        }
    }

    /** A backend without an admin password. */
    public Backend(String host, int port, Optional<String> namespace, Optional<String> password) {
        this(host, port, namespace, password, Optional.empty());
    }

    /** This backend, with the zdb's admin password (to create its namespace) set or cleared. */
    public Backend withAdminPassword(Optional<String> admin) {
        return new Backend(host, port, namespace, password, admin);
    }

    /**
     * Parses an address in 0-stor_v2's forms: {@code host:port}, {@code ipv4:port} or
     * {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming the address and the expected form
     */
    public static Backend parse(String address, Optional<String> namespace, Optional<String> password) {
        String host;
        String portText;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw badAddress(address);
            }
            host = address.substring(1, close);
            portText = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || address.indexOf(':') != colon) {
                throw badAddress(address);
            }
            host = address.substring(0, colon);
            portText = address.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw badAddress(address);
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw badAddress(address);
        }
        return new Backend(host, port, namespace, password);
    }

    private static IllegalArgumentException badAddress(String address) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "address: \"%s\" (expected: host:port or [ipv6]:port with port 1..65535)", address));
    }

    /** The address in the form {@link #parse} accepts. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * A client builder for this backend: host and port, plus {@code SELECT namespace [password]} on
     * every pooled connection when a namespace is set. Timeouts and pool size are left to the caller.
     */
    public ZdbClient.Builder clientBuilder() {
        ZdbClient.Builder builder = ZdbClient.builder(host, port);
        namespace.ifPresent(ns -> builder.namespace(ns, password.orElse(null)));
        return builder;
    }

    /** A stable name: the address, then {@code /namespace} when one is set. */
    public String id() {
        return namespace.map(ns -> address() + "/" + ns).orElse(address());
    }

    @Override
    public String toString() {
        return id() + (password.isPresent() ? " (password set)" : "")
                + (adminPassword.isPresent() ? " (admin password set)" : "");
    }
}
