package dev.vmtrust.config;

import dev.vmtrust.platform.Environment;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Paths in the config: {@code ~} and {@code ~/...} expand from {@code $HOME}; every other path must be
 * absolute (a relative one would depend on the agent's working folder, which the user does not see).
 */
final class PathValues {
    private final Environment env;

    PathValues(Environment env) {
        this.env = env;
    }

    Optional<Path> path(String at, Object v, Problems p) {
        if (!(v instanceof String s) || s.isBlank()) {
            p.add(at, "expected a path, got " + YamlValues.describe(v));
            return Optional.empty();
        }
        Path path;
        try {
            path = env.expand(s);
        } catch (InvalidPathException e) {
            p.add(at, YamlValues.quote(s) + " is not a valid path");
            return Optional.empty();
        }
        if (!path.isAbsolute()) {
            p.add(at, YamlValues.quote(s) + " is a relative path; write it absolute or starting with ~/");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** {@code auto}, {@code none}, or a path to a PEM file. */
    Optional<Config.PublicRoots> publicRoots(String at, Object v, Problems p) {
        if ("auto".equals(v)) return Optional.of(new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null));
        if ("none".equals(v)) return Optional.of(new Config.PublicRoots(Config.PublicRoots.Kind.NONE, null));
        if (!(v instanceof String)) {
            p.add(at, "expected auto, none or the path of a PEM file, got " + YamlValues.describe(v));
            return Optional.empty();
        }
        return path(at, v, p).map(f -> new Config.PublicRoots(Config.PublicRoots.Kind.FILE, f));
    }

    /** A program for argv[0]: a leading {@code ~/} expands (no shell runs it); a bare name is looked up in PATH. */
    Optional<String> program(String at, Object v, Problems p) {
        if (v instanceof String s && !s.isBlank()) {
            return Optional.of(
                    s.equals("~") || s.startsWith("~/") ? env.expand(s).toString() : s);
        }
        p.add(at, "expected a program, got " + YamlValues.describe(v));
        return Optional.empty();
    }
}
