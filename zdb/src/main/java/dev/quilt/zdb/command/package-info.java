/**
 * zdb's command set. Start at {@link dev.quilt.zdb.command.CommandDispatcher}: it holds the command table
 * (0-db's order, case-insensitive prefix lookup, then Quilt's COMPACT), applies the admin rule and counts
 * commands, and hands each request to a small family class (key, scan, namespace, auth, admin commands).
 * Every error string is the wire contract of 0-db 2.0.7. Everything here is confined to the event loop
 * that owns the store.
 */
package dev.quilt.zdb.command;
