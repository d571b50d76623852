package dev.vmtrust.service;

import java.nio.file.Path;
import java.util.List;

/** What {@code uninstall} did: the commands run (unload/stop) and which case happened. */
public record UninstallResult(Outcome outcome, Path file, List<List<String>> commands, String message) {

    public enum Outcome {
        /** Stopped/unloaded and/or removed the file. */
        UNINSTALLED,
        /** Nothing was installed or loaded: nothing done. */
        NOT_INSTALLED,
        UNSUPPORTED
    }

    public UninstallResult {
        commands = commands.stream().map(List::copyOf).toList();
    }

    public String text() {
        StringBuilder sb = new StringBuilder(message).append('\n');
        if (!commands.isEmpty()) {
            sb.append("ran:\n");
            for (List<String> c : commands)
                sb.append("  ").append(Commands.display(c)).append('\n');
        }
        return sb.toString();
    }
}
