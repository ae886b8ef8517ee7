package dev.quilt.zdb.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-connection state a client wants on every connection it uses: admin authentication and the
 * selected namespace. Immutable; a new instance replaces the old one on AUTH or SELECT, and each pooled
 * connection replays the current one before it is used.
 *
 * @param adminPassword     sent with AUTH, or null
 * @param namespace         sent with SELECT
 * @param namespacePassword sent with SELECT, or null
 */
record Session(String adminPassword, String namespace, String namespacePassword) {
    static final String DEFAULT_NAMESPACE = "default";

    static Session initial() {
        return new Session(null, DEFAULT_NAMESPACE, null);
    }

    Session withAdmin(String password) {
        return new Session(password, namespace, namespacePassword);
    }

    Session withNamespace(String name, String password) {
        return new Session(adminPassword, name, password);
    }

    /**
     * The commands that bring a connection to this state: a fresh connection is already in the default
     * namespace, one that was used before must be moved back explicitly.
     */
    List<byte[][]> commands(boolean fresh) {
        List<byte[][]> commands = new ArrayList<>(2);
        if (adminPassword != null) {
            commands.add(args("AUTH", adminPassword));
        }
        if (!fresh || !namespace.equals(DEFAULT_NAMESPACE) || namespacePassword != null) {
            commands.add(namespacePassword == null ? args("SELECT", namespace) : args("SELECT", namespace, namespacePassword));
        }
        return commands;
    }

    static byte[][] args(String... words) {
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }
}
