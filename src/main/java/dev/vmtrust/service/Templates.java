package dev.vmtrust.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service file templates shipped in the jar ({@code launchd/dev.vmtrust.agent.plist}, copied by the
 * build, and {@code vmtrust.service}) and the escaping each format needs. Placeholders look like
 * {@code @LAUNCHER@}; rendering is one pass, so a value containing {@code @X@} is never expanded again.
 */
final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");

    private Templates() {}

    /** A template next to this class on the class path. */
    static String load(String name) {
        try (InputStream in = Templates.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("template " + name + " is missing from the vmtrust jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template " + name + ": " + e.getMessage(), e);
        }
    }

    /** Replaces every placeholder with its (already escaped) value; an unknown placeholder is a bug. */
    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalStateException("no value for @" + m.group(1) + "@");
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        return m.appendTail(sb).toString();
    }

    /** XML text content: {@code & < > " '} escaped. Control characters cannot appear in XML 1.0 at all. */
    static String xml(String s) {
        rejectControl(s);
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    /**
     * One word of a systemd command line ({@code ExecStart=}): {@code %} starts a specifier and {@code $}
     * an environment expansion, so both are doubled; a word with anything beyond plain path characters is
     * double-quoted with C-style escapes (systemd unescapes backslashes even outside quotes).
     */
    static String systemdWord(String s) {
        rejectControl(s);
        String e = s.replace("%", "%%").replace("$", "$$");
        if (!e.isEmpty() && e.matches("[A-Za-z0-9_@%$+=:,./-]+")) return e;
        return "\"" + e.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * One {@code Environment="NAME=VALUE"} line of a unit: inside double quotes systemd unescapes C-style
     * backslashes, and {@code %} starts a specifier (also in Environment=), so both are escaped; {@code $} is
     * not expanded in Environment= and stays as it is.
     */
    static String systemdEnvironment(String name, String value) {
        rejectControl(value);
        return "Environment=\"" + name + "="
                + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
    }

    private static void rejectControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("contains a control character: " + s.replaceAll("\\p{Cntrl}", "?"));
            }
        }
    }
}
