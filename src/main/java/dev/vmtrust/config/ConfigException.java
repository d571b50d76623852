package dev.vmtrust.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The configuration cannot be used. {@link #problems()} lists every problem found (all are collected
 * before this is thrown), one line each, each naming the file and the key path:
 * {@code /home/u/.config/vmtrust/config.yaml: resync: "10 minutes" is not a duration; ...}.
 * The message is the problems joined by newlines. The CLI maps this to exit code 2.
 */
public final class ConfigException extends Exception {
    private final transient Path file;
    private final List<String> problems;

    /** {@code file} may be null only when no file could be determined (HOME unset). */
    public ConfigException(Path file, List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one problem");
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** The config file the problems are about; null only when HOME is unset and no file was named. */
    public Path file() {
        return file;
    }

    /** Every problem, in the order found; each is a complete sentence naming the file. */
    public List<String> problems() {
        return problems;
    }
}
