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

    /**
     * For tests only: {@value #TEST_PLATFORM}{@code =macos} makes vmtrust on Linux behave as on macOS (its
     * folders, launchd, osascript, the keychain source's defaults), so the macOS-shaped lane can run the real
     * code against stand-ins written to Apple's formats. {@value #TEST_MACOS_BIN} then names the folder where
     * the stand-ins of {@code /usr/bin} tools (osascript) are. No user sets these.
     */
    public static final String TEST_PLATFORM = "VMTRUST_TEST_PLATFORM";

    public static final String TEST_MACOS_BIN = "VMTRUST_TEST_MACOS_BIN";

    public static Environment system() {
        return of(System.getenv(), Os.current());
    }

    /** The environment {@code vars} on {@code os}, unless {@link #TEST_PLATFORM} says macos. */
    public static Environment of(Map<String, String> vars, Os os) {
        return new Environment(vars, "macos".equals(vars.get(TEST_PLATFORM)) ? Os.MACOS : os);
    }

    /** Where a macOS system tool is: {@code /usr/bin/NAME}, or the tests' stand-in folder ({@link #TEST_MACOS_BIN}). */
    public String macosTool(String name) {
        return get(TEST_PLATFORM)
                .filter("macos"::equals)
                .flatMap(p -> get(TEST_MACOS_BIN))
                .map(d -> Path.of(d, name).toString())
                .orElse("/usr/bin/" + name);
    }

    /** A non-empty variable, if set. */
    public Optional<String> get(String name) {
        String v = vars.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** {@code $HOME}; throws IllegalStateException naming the variable when it is unset. */
    public Path home() {
        return Path.of(get("HOME")
                .orElseThrow(() -> new IllegalStateException(
                        "HOME is not set; vmtrust needs it to find your config, Colima and Lima")));
    }

    /** Expands a leading {@code ~} or {@code ~/} from {@code $HOME}; other paths are returned as given. */
    public Path expand(String path) {
        if (path.equals("~")) return home();
        if (path.startsWith("~/")) return home().resolve(path.substring(2));
        return Path.of(path);
    }
}
