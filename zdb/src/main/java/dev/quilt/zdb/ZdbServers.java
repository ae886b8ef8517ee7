package dev.quilt.zdb;

import dev.quilt.zdb.server.NettyZdbServer;
import java.io.IOException;

/** The factory behind {@link ZdbServer#start}. */
final class ZdbServers {
    private ZdbServers() { }

    static ZdbServer start(ZdbServerConfig config) throws IOException {
        return NettyZdbServer.start(config);
    }
}
