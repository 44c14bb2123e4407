package dev.sluice.examples.support;

/**
 * What an example's {@code main} does with its run: exits with the run's exit code when it is not 0, and with 64
 * (EX_USAGE) after printing the message when an option was bad ({@link IllegalArgumentException}).
 */
public final class ExampleMain {

    /** One run of an example, returning its exit code. */
    @FunctionalInterface
    public interface Run {
        int exitCode() throws InterruptedException;
    }

    private ExampleMain() {
    }

    public static void exitWith(Run run) throws InterruptedException {
        int exitCode;
        try {
            exitCode = run.exitCode();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            exitCode = 64;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
