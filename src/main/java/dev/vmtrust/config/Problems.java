package dev.vmtrust.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects problems for one file as {@code <file>: <key path>: <message>}; thrown all at once. */
final class Problems {
    private final Path file;
    private final List<String> lines = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    /** {@code at} is the key path ({@code sources.files[1]}); empty for the file as a whole. */
    void add(String at, String message) {
        lines.add(file + ": " + (at.isEmpty() ? "" : at + ": ") + message);
    }

    boolean any() {
        return !lines.isEmpty();
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    void throwIfAny() throws ConfigException {
        if (any()) throw new ConfigException(file, lines);
    }
}
