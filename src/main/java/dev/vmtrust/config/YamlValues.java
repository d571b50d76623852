package dev.vmtrust.config;

import dev.vmtrust.platform.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Conversions of single YAML values, each recording a problem at its key path when the value is
 * invalid. YamlValues are taken as YAML typed them: a quoted "true" is a string, not a boolean; a bare
 * number is not a duration.
 */
final class YamlValues {
    static final String DURATION_FORMS = "use a number and a unit: 500ms, 30s, 10m, 2h, 1d";

    private YamlValues() {}

    static Optional<Boolean> bool(String at, Object v, Problems p) {
        if (v instanceof Boolean b) return Optional.of(b);
        p.add(at, "expected true or false, got " + describe(v) + quotedWordHint(v, "true", "false"));
        return Optional.empty();
    }

    /** A word from {@code words}, compared exactly; the problem lists the words. */
    static Optional<String> word(String at, Object v, Problems p, List<String> words) {
        if (v instanceof String s && words.contains(s)) return Optional.of(s);
        p.add(at, "expected " + oneOf(words) + ", got " + describe(v));
        return Optional.empty();
    }

    /** {@code auto}, {@code true} or {@code false} (the YAML booleans, or the word auto). */
    static Optional<Config.Toggle> toggle(String at, Object v, Problems p) {
        if (v instanceof Boolean b) return Optional.of(b ? Config.Toggle.ON : Config.Toggle.OFF);
        if ("auto".equals(v)) return Optional.of(Config.Toggle.AUTO);
        p.add(at, "expected auto, true or false, got " + describe(v) + quotedWordHint(v, "true", "false"));
        return Optional.empty();
    }

    /** A duration string ({@code 10m}) of at least {@code min}; bare numbers are refused as ambiguous. */
    static Section.Converter<Duration> duration(Duration min) {
        return (at, v, p) -> {
            if (v instanceof Number n) {
                p.add(at, n + " has no unit; " + DURATION_FORMS);
                return Optional.empty();
            }
            if (!(v instanceof String s)) {
                p.add(at, "expected a duration such as 30s, got " + describe(v));
                return Optional.empty();
            }
            Duration d;
            try {
                d = Durations.parse(s);
            } catch (IllegalArgumentException e) {
                p.add(at, quote(s) + " is not a duration; " + DURATION_FORMS);
                return Optional.empty();
            }
            if (d.compareTo(min) < 0) {
                p.add(
                        at,
                        (min.equals(Duration.ofMillis(1))
                                        ? "must be more than 0"
                                        : "must be at least " + Durations.format(min))
                                + ", got " + quote(s));
                return Optional.empty();
            }
            return Optional.of(d);
        };
    }

    /** A non-empty string (a profile, instance or host name); numbers get a hint to quote them. */
    static Optional<String> name(String at, Object v, Problems p) {
        if (v instanceof String s && !s.isBlank()) return Optional.of(s);
        if (v instanceof String) p.add(at, "expected a name, got " + describe(v));
        else p.add(at, "expected a string, got " + describe(v) + scalarHint(v));
        return Optional.empty();
    }

    /** Any string (an argv element may be empty). */
    static Optional<String> string(String at, Object v, Problems p) {
        if (v instanceof String s) return Optional.of(s);
        p.add(at, "expected a string, got " + describe(v) + scalarHint(v));
        return Optional.empty();
    }

    /**
     * An include/exclude entry: a subject substring, or {@code sha256:} and 64 hex digits. Fingerprints
     * are normalized to {@code sha256:<lowercase hex>}; colons and spaces between digits are dropped
     * (as openssl and Keychain Access print them).
     */
    static Optional<String> filter(String at, Object v, Problems p) {
        if (!(v instanceof String s) || s.isBlank()) {
            p.add(at, "expected a subject substring or sha256:HEX, got " + describe(v) + scalarHint(v));
            return Optional.empty();
        }
        if (!s.regionMatches(true, 0, "sha256:", 0, 7)) return Optional.of(s);
        String hex = s.substring(7).replace(":", "").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        if (hex.matches("[0-9a-f]{64}")) return Optional.of("sha256:" + hex);
        p.add(at, quote(s) + " is not a SHA-256 fingerprint; write sha256: followed by 64 hex digits");
        return Optional.empty();
    }

    /** An {@code https://} URL with a host. */
    static Optional<java.net.URI> https(String at, Object v, Problems p) {
        if (v instanceof String s) {
            try {
                java.net.URI u = new java.net.URI(s.strip());
                if ("https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null) return Optional.of(u);
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
        }
        p.add(at, "expected an https:// URL, got " + describe(v));
        return Optional.empty();
    }

    /** A list whose elements {@code element} converts; empty (with problems) if any element is invalid. */
    static <T> Optional<List<T>> list(String at, Object v, Problems p, Section.Converter<T> element) {
        if (!(v instanceof List<?> items)) {
            p.add(
                    at,
                    "expected a list, got " + describe(v)
                            + (v instanceof String s ? "; write [" + quote(s) + "]" : ""));
            return Optional.empty();
        }
        List<T> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String itemAt = at + "[" + i + "]";
            Object item = items.get(i);
            Optional<T> t = item == null ? missing(itemAt, p) : element.apply(itemAt, item, p);
            if (t.isPresent()) out.add(t.get());
            else ok = false;
        }
        return ok ? Optional.of(List.copyOf(out)) : Optional.empty();
    }

    private static <T> Optional<T> missing(String at, Problems p) {
        p.add(at, "expected a value, got nothing");
        return Optional.empty();
    }

    /** How a value reads in a message: strings quoted, numbers and booleans as is, else its kind. */
    static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof String s) return quote(s);
        if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
        if (v instanceof List<?>) return "a list";
        if (v instanceof Map<?, ?>) return "a mapping";
        if (v instanceof Set<?>) return "a set";
        if (v instanceof Date) return "a date";
        if (v instanceof byte[]) return "binary data";
        return "a " + v.getClass().getSimpleName();
    }

    /** {@code "text"} with quotes, backslashes and control characters escaped, cut at 80 characters. */
    static String quote(String s) {
        String cut = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        for (char c : cut.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    static String oneOf(List<String> words) {
        if (words.size() == 1) return words.get(0);
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static String quotedWordHint(Object v, String... words) {
        if (v instanceof String s)
            for (String w : words) if (w.equalsIgnoreCase(s.strip())) return "; write " + w + " without quotes";
        return "";
    }

    private static String scalarHint(Object v) {
        return v instanceof Number || v instanceof Boolean ? "; put it in quotes: \"" + v + "\"" : "";
    }
}
