package dev.quilt.zdb.command;

import java.util.List;

/**
 * One execution of the hook program, as HOOKS lists it.
 *
 * @param event    the hook's event name (first argument after the program)
 * @param args     the extra arguments after the instance id
 * @param pid      process id, 0 when it could not be started
 * @param created  unix seconds when started
 * @param finished unix seconds when it exited, 0 while running
 * @param exitCode exit status, 0 while running
 */
public record HookRun(String event, List<String> args, long pid, long created, long finished, int exitCode) {
    public HookRun {
        args = List.copyOf(args);
    }
}
