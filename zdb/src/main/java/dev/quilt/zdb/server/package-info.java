/**
 * The network side of zdb: {@link dev.quilt.zdb.server.NettyZdbServer} (bootstrap, one event loop owning the
 * store, start-up and shutdown order), the per-connection pipeline (request framing, then a handler that
 * orders, coalesces and gates replies on flush or fsync), and the hook runner.
 */
package dev.quilt.zdb.server;
