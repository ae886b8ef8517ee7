package dev.quilt.zdb;

import java.io.IOException;

/** Placeholder until the network server lands. */
final class ZdbServers {
    private ZdbServers() { }

    static ZdbServer start(ZdbServerConfig config) throws IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
