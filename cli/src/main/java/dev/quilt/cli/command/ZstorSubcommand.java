package dev.quilt.cli.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every {@code quilt zstor} subcommand has: its parent (config, store, error prefix) and its output streams. */
abstract class ZstorSubcommand implements Callable<Integer> {
    @ParentCommand
    ZstorCommand zstor;

    @Spec
    CommandSpec spec;

    /** Results. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress and the hook's failures. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
