/**
 * A blocking Java client for zdb and 0-db: start with {@link dev.quilt.zdb.client.ZdbClient}.
 *
 * <p>The public surface is {@link dev.quilt.zdb.client.ZdbClient} (typed commands, connection pool, scan
 * streams), {@link dev.quilt.zdb.client.ZdbPipeline} (many commands per write) and
 * {@link dev.quilt.zdb.client.ZdbException} (a refusal from the server, carrying its message). The RESP2
 * reply reader, the command writer and the pool are package-private. This package depends on nothing in
 * zdb's server or store, so it can move to its own artifact unchanged.
 */
package dev.quilt.zdb.client;
