package dev.quilt.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every {@code quilt} command accepts, wherever they appear on the line ({@code quilt -v zdb} and
 * {@code quilt zdb -v} mean the same). Each command mixes this in; the values are kept on the root
 * command's instance, which is the one {@link Quilt} reads.
 */
public final class GlobalOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private int verbosity;
    private boolean stacktrace;

    @Option(names = "-v", description = "More log output on stderr: -v info, -vv debug, -vvv libraries too.")
    void setVerbose(boolean[] verbose) {
        if (verbose != null) {
            GlobalOptions root = root();
            root.verbosity = Math.max(root.verbosity, verbose.length);
        }
    }

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    void setStacktrace(boolean value) {
        if (value) {
            root().stacktrace = true;
        }
    }

    /** How many {@code -v} were given. */
    public int verbosity() {
        return verbosity;
    }

    /** Whether errors print their stack trace. */
    public boolean stacktrace() {
        return stacktrace;
    }

    private GlobalOptions root() {
        return mixee == null ? this : ((Quilt) mixee.root().userObject()).globalOptions();
    }
}
