package dev.sluice.internal.engine;

/** Turns a throwable into the short error text a store keeps: class and message of it and its causes. */
final class ErrorText {

    static final int MAX_LENGTH = 4000;
    private static final int MAX_CAUSES = 4;

    private ErrorText() {
    }

    static String of(Throwable error) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = error; t != null && depth < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause()) {
            if (depth++ > 0) {
                text.append(" / caused by ");
            }
            text.append(t.getClass().getName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 3) + "..." : text.toString();
    }
}
