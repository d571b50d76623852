package dev.vmtrust.service;

import java.util.List;
import java.util.stream.Collectors;

/** Shows an argv the way a user would type it (single-quoting words a shell would split or expand). */
final class Commands {
    private Commands() {}

    static String display(List<String> argv) {
        return argv.stream().map(Commands::word).collect(Collectors.joining(" "));
    }

    private static String word(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_@%+=:,./-]+")) return w;
        return "'" + w.replace("'", "'\\''") + "'";
    }
}
