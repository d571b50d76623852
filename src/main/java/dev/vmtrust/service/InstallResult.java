package dev.vmtrust.service;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code install} did, or with {@code dryRun} would do. {@code content} is the service file as
 * install writes it (null when unsupported); {@code commands} the load commands run (or that would run),
 * not the read-only probes. {@code message} says which case happened.
 */
public record InstallResult(
        Outcome outcome, boolean dryRun, Path file, String content, List<List<String>> commands, String message) {

    public enum Outcome {
        /** No file before; written and loaded. */
        INSTALLED,
        /** The file differed (e.g. a new launcher path); rewritten and reloaded. */
        UPDATED,
        /** The file was current but the agent was not loaded/enabled/running; (re)loaded. */
        STARTED,
        /** File current and agent loaded: nothing written, nothing run. */
        ALREADY_CURRENT,
        /** Linux without a reachable {@code systemd --user}: nothing changed. */
        NO_USER_SESSION,
        /** Neither macOS nor Linux. */
        UNSUPPORTED
    }

    public InstallResult {
        commands = commands.stream().map(List::copyOf).toList();
    }

    /** False when the agent is not installed afterwards (no user session, unsupported OS). */
    public boolean ok() {
        return outcome != Outcome.NO_USER_SESSION && outcome != Outcome.UNSUPPORTED;
    }

    /** For the terminal: the message, then (dry run) the file and commands, or the commands run. */
    public String text() {
        StringBuilder sb = new StringBuilder(message).append('\n');
        if (dryRun && content != null && outcome != Outcome.ALREADY_CURRENT && ok()) {
            sb.append("would write ").append(file).append(" (mode 0644):\n").append(content);
            if (!content.endsWith("\n")) sb.append('\n');
        }
        if (!commands.isEmpty()) {
            sb.append(dryRun ? "would run:\n" : "ran:\n");
            for (List<String> c : commands)
                sb.append("  ").append(Commands.display(c)).append('\n');
        }
        return sb.toString();
    }
}
