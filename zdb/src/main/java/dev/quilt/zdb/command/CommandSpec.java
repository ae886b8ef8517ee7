package dev.quilt.zdb.command;

/**
 * One entry of the command table.
 *
 * @param name      canonical upper-case name (what WAIT answers)
 * @param adminOnly non-admin connections get {@code -Permission denied}
 * @param handler   runs the command on the event loop
 */
record CommandSpec(String name, boolean adminOnly, Handler handler) {

    @FunctionalInterface
    interface Handler {
        Reply run(Session session, Arguments args);
    }
}
