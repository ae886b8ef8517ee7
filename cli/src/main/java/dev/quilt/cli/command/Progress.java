package dev.quilt.cli.command;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * A one-line progress display on stderr: bytes done, percent of the total and MB/s, redrawn in place at most
 * five times a second. Silent unless stderr is a terminal, so scripts and logs never see it. Results go to
 * stdout, so the display never mixes with them.
 */
final class Progress implements LongConsumer, AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long lastDraw;
    private long base;
    private long done;
    private boolean drawn;

    Progress(PrintWriter err, boolean enabled, String label, long total) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
        this.total = total;
    }

    /** A display for {@code total} bytes ({@code <= 0} when unknown), shown only on a terminal. */
    static Progress on(PrintWriter err, String label, long total) {
        return new Progress(err, stderrIsTerminal(), label, total);
    }

    static boolean stderrIsTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** Progress within the current item: {@code bytes} done of it. */
    @Override
    public void accept(long bytes) {
        done = base + bytes;
        long now = System.nanoTime();
        if (enabled && now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(now);
        }
    }

    /** The current item is finished with {@code bytes}; the next item's progress adds to it. */
    void itemDone(long bytes) {
        base += bytes;
        accept(0);
    }

    private void draw(long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String percent = total > 0 ? String.format(Locale.ROOT, " %3d%%", Math.min(100, done * 100 / total)) : "";
        err.print(String.format(Locale.ROOT, "\r%s %s%s%s  %.1f MB/s  ", label, mib(done),
                total > 0 ? " / " + mib(total) : "", percent, done / seconds / 1e6));
        err.flush();
        drawn = true;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Clears the line, so the result printed next starts clean. */
    @Override
    public void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
