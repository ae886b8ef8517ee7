package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT} flags ({@code [::1]:9100} for IPv6); a bad value is a one-line input error. */
final class HostPort {
    private HostPort() {}

    static InetSocketAddress parse(String option, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 0 || port > 65535) {
            throw CliException.input(option + ": '" + hostPort + "' (expected: HOST:PORT, e.g. 127.0.0.1:9100)");
        }
        return new InetSocketAddress(host, port);
    }
}
