package dev.quilt.cli.deploy;

import java.io.PrintWriter;

/**
 * The progress of a slow command on stderr: on a terminal one line redrawn in place, elsewhere a
 * line each time the phase changes (not for every elapsed-time tick), so logs stay short. Results
 * go to stdout and never mix with it.
 */
final class StatusLine {
    private final PrintWriter err;
    private final boolean terminal;
    private String lastPhase = "";
    private boolean drawn;

    StatusLine(PrintWriter err) {
        this.err = err;
        java.io.Console console = System.console();
        this.terminal = console != null && console.isTerminal();
    }

    void show(String name, String text) {
        String line = name + ": " + text;
        int elapsed = line.lastIndexOf(" (");
        String phase = elapsed > 0 && line.endsWith(" s)") ? line.substring(0, elapsed) : line;
        if (terminal) {
            err.print("\r\033[K" + line);
            drawn = true;
            err.flush();
        } else if (!phase.equals(lastPhase)) {
            err.println(line);
            err.flush();
        }
        lastPhase = phase;
    }

    /** Ends the redrawn line, so what is printed next starts clean. */
    void done() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
        lastPhase = "";
    }
}
