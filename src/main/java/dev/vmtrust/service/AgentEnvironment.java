package dev.vmtrust.service;

import dev.vmtrust.platform.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables of the installing shell that decide which VMs and which config the agent sees. launchd and
 * systemd give the agent none of the user's shell environment, so {@code install} records these in the plist
 * ({@code EnvironmentVariables}) and the unit ({@code Environment=}); {@code doctor} reads them back and
 * warns when the shell now says something else.
 *
 * <p>YamlValues are recorded as absolute paths ({@code ~} expanded from {@code $HOME}; a relative
 * {@code VMTRUST_CONFIG} from the working directory, as the CLI reads it). Relative XDG values are dropped (the
 * XDG spec says to ignore them). A {@code COLIMA_HOME} that is not an existing folder is dropped too: Colima
 * itself ignores it then, and the agent would otherwise watch a folder where no profile will ever be.
 */
public final class AgentEnvironment {
    /** In the order they are written. */
    public static final List<String> NAMES =
            List.of("COLIMA_HOME", "LIMA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "VMTRUST_CONFIG");
    /** Recorded as they are when set: the macOS-shaped test lane's switches (see {@link Environment#TEST_PLATFORM}). */
    public static final List<String> TEST_NAMES = List.of(Environment.TEST_PLATFORM, Environment.TEST_MACOS_BIN);
    /** A plist or unit larger than this is not ours; doctor does not read it. */
    static final long MAX_FILE = 64 * 1024;

    private static final Pattern PLIST_PAIR = Pattern.compile("<key>([A-Z_]+)</key>\\s*<string>([^<]*)</string>");
    private static final Pattern UNIT_LINE = Pattern.compile("(?m)^Environment=\"([A-Z_]+)=((?:[^\"\\\\]|\\\\.)*)\"$");

    private AgentEnvironment() {}

    /** The values install records for {@code env}: name -> absolute path, only those that are set and count. */
    public static Map<String, String> of(Environment env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            Optional<String> v = env.get(name);
            if (v.isEmpty()) continue;
            Path p = env.expand(v.get());
            if (name.startsWith("XDG_") && !p.isAbsolute()) continue;
            p = p.toAbsolutePath().normalize();
            if (name.equals("COLIMA_HOME") && !isDirectory(p)) continue;
            out.put(name, p.toString());
        }
        for (String name : TEST_NAMES) env.get(name).ifPresent(v -> out.put(name, v));
        return out;
    }

    /**
     * The recorded values of a plist or unit that {@code install} wrote, or empty when the file is missing,
     * unreadable, not a regular file or too large (doctor then says nothing about the environment).
     */
    public static Optional<Map<String, String>> recordedIn(Path file) {
        String text;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile() || a.size() > MAX_FILE) return Optional.empty();
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean plist = file.getFileName().toString().endsWith(".plist");
        Matcher m = (plist ? PLIST_PAIR : UNIT_LINE).matcher(text);
        while (m.find()) {
            if (NAMES.contains(m.group(1)) || TEST_NAMES.contains(m.group(1)))
                out.put(m.group(1), plist ? unXml(m.group(2)) : unSystemd(m.group(2)));
        }
        return Optional.of(out);
    }

    /**
     * One line per difference between what the agent was given and what this shell would give it:
     * {@code COLIMA_HOME: the agent has /a, this shell /b}; empty when they agree.
     */
    public static List<String> differences(Map<String, String> agent, Map<String, String> shell) {
        return java.util.stream.Stream.concat(NAMES.stream(), TEST_NAMES.stream())
                .filter(n -> !java.util.Objects.equals(agent.get(n), shell.get(n)))
                .map(n -> n + ": the agent has " + shown(agent.get(n)) + ", this shell " + shown(shell.get(n)))
                .toList();
    }

    private static String shown(String v) {
        return v == null ? "it unset" : v;
    }

    private static boolean isDirectory(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).isDirectory();
        } catch (IOException e) {
            return false;
        }
    }

    private static String unXml(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    /** The inverse of {@link Templates#systemdEnvironment}: {@code \\x} -> {@code x}, {@code %%} -> {@code %}. */
    private static String unSystemd(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) c = s.charAt(++i);
            else if (c == '%' && i + 1 < s.length() && s.charAt(i + 1) == '%') i++;
            b.append(c);
        }
        return b.toString();
    }
}
