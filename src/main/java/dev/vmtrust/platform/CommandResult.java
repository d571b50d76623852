package dev.vmtrust.platform;

import java.util.List;

/** What a finished process left: its argv, exit code, and both streams as UTF-8 text. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** {@code `security verify-cert ...` exited 1: <last 5 lines of stderr>} */
    public String failureMessage() {
        String tail = tail(stderr, 5);
        return "`" + CommandException.describe(argv) + "` exited " + exitCode + (tail.isEmpty() ? "" : ": " + tail);
    }

    /** The last {@code lines} non-blank lines of {@code text}, joined with " / ". */
    public static String tail(String text, int lines) {
        List<String> all =
                text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        return String.join(" / ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
