package dev.vmtrust.platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The process environment as a value, so tests pass their own HOME, XDG_*, COLIMA_HOME, LIMA_HOME.
 * {@code ~} is expanded from {@code $HOME}, never from Java's user.home (that comes from the password file).
 */
public record Environment(Map<String, String> vars, Os os) {
    public Environment {
        vars = Map.copyOf(vars);
    }

    public static Environment system() { return new Environment(System.getenv(), Os.current()); }

    /** A non-empty variable, if set. */
    public Optional<String> get(String name) {
        String v = vars.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** {@code $HOME}; throws IllegalStateException naming the variable when it is unset. */
    public Path home() {
        return Path.of(get("HOME").orElseThrow(() -> new IllegalStateException(
                "HOME is not set; vmtrust needs it to find your config, Colima and Lima")));
    }

    /** Expands a leading {@code ~} or {@code ~/} from {@code $HOME}; other paths are returned as given. */
    public Path expand(String path) {
        if (path.equals("~")) return home();
        if (path.startsWith("~/")) return home().resolve(path.substring(2));
        return Path.of(path);
    }
}
