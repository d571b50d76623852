package dev.vmtrust.source;

import dev.vmtrust.trust.CaCert;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The user's {@code include} / {@code exclude} lists. An entry is a case-insensitive substring of the
 * subject (RFC 2253 form, e.g. {@code CN=Corp Root,O=Corp}) or {@code sha256:HEX}: all 64 hex digits or a
 * prefix of at least 16 (colons allowed). An empty include list selects every CA; exclude wins over include.
 */
public final class Selection {
    private static final String SHA = "sha256:";
    private final List<String> include;
    private final List<String> exclude;

    /** Throws IllegalArgumentException naming the first unusable entry (see {@link #problems}). */
    public Selection(List<String> include, List<String> exclude) {
        List<String> bad = new ArrayList<>(problems(include));
        bad.addAll(problems(exclude));
        if (!bad.isEmpty()) throw new IllegalArgumentException(bad.get(0));
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    public static Selection all() {
        return new Selection(List.of(), List.of());
    }

    /** One message per unusable entry, for config validation. */
    public static List<String> problems(List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            if (e.isBlank()) out.add("an empty entry matches every CA; remove it");
            else if (isSha(e) && !hex(e).matches("[0-9a-f]{16,64}")) {
                out.add("\"" + e + "\" is not a usable fingerprint: write sha256: and 16 to 64 hex digits");
            }
        }
        return out;
    }

    /** Why {@code c} is left out, or empty when it is selected. */
    public Optional<String> dropReason(CaCert c) {
        if (!include.isEmpty() && include.stream().noneMatch(e -> matches(e, c)))
            return Optional.of("not matched by include");
        return exclude.stream().filter(e -> matches(e, c)).findFirst().map(e -> "excluded by \"" + e + "\"");
    }

    static boolean matches(String entry, CaCert c) {
        if (isSha(entry)) return c.sha256().startsWith(hex(entry));
        return c.subject().toLowerCase(Locale.ROOT).contains(entry.toLowerCase(Locale.ROOT));
    }

    private static boolean isSha(String e) {
        return e.strip().toLowerCase(Locale.ROOT).startsWith(SHA);
    }

    private static String hex(String e) {
        return e.strip().substring(SHA.length()).replace(":", "").toLowerCase(Locale.ROOT);
    }
}
