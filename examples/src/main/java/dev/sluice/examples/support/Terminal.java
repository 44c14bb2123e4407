package dev.sluice.examples.support;

import java.io.PrintStream;

/**
 * Where an example prints: whole lines, and one status line (a progress bar) redrawn in place with a carriage
 * return when a console is attached, or printed as plain lines when output goes to a file or a pipe. Lines and
 * the status line come from several threads (listeners run on engine threads); this class is thread-safe and
 * keeps them from tearing each other.
 */
public final class Terminal {

    private final PrintStream out;
    private final boolean interactive;
    private String status = "";

    /**
     * @param interactive true to redraw the status line in place (a console); false to print each status as a
     *                    line of its own
     */
    public Terminal(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** A terminal on standard output, interactive when the JVM has a console. */
    public static Terminal system() {
        return new Terminal(System.out, System.console() != null);
    }

    public boolean isInteractive() {
        return interactive;
    }

    /** Prints a whole line; an interactive status line is cleared first and drawn again below it. */
    public synchronized void line(String text) {
        if (interactive && !status.isEmpty()) {
            out.print('\r' + " ".repeat(status.length()) + '\r');
            out.println(text);
            out.print(status);
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Replaces the status line (interactive) or prints it as a line (otherwise). */
    public synchronized void status(String text) {
        if (!interactive) {
            out.println(text);
            return;
        }
        String padding = text.length() < status.length() ? " ".repeat(status.length() - text.length()) : "";
        out.print('\r' + text + padding);
        out.flush();
        status = text;
    }

    /** Ends the status line, so that the next output starts on a fresh line. */
    public synchronized void endStatus() {
        if (interactive && !status.isEmpty()) {
            out.println();
            out.flush();
        }
        status = "";
    }
}
