package dev.vmtrust.platform;

/**
 * The one escaping function for text from outside (certificate subjects, folder names, YAML, VM output) on
 * its way to a human: the terminal, the log, a desktop notification. Text stays raw inside vmtrust; each
 * sink escapes once, when it prints. JSON output needs no such step (the JSON writer escapes).
 *
 * <p>Escaped, so that nothing can move the cursor, recolour or retitle a terminal, forge a log line, or
 * reorder or hide what is shown:
 * <ul>
 *   <li>line feed, carriage return, tab: {@code \n}, {@code \r}, {@code \t};</li>
 *   <li>every other control character (C0, DEL, C1 such as NEL U+0085): {@code \xNN}, e.g. {@code \x1b};</li>
 *   <li>format characters (Unicode Cf: bidi controls U+061C, U+200E/F, U+202A-E, U+2066-9; zero-width
 *       U+200B-D, U+2060, U+FEFF; soft hyphen ...), line and paragraph separators U+2028/9, and lone
 *       surrogates: <code>&#92;uNNNN</code>, e.g. <code>&#92;u202e</code>; a supplementary code point as its two surrogates.</li>
 * </ul>
 * Hex digits are lowercase. Everything else (letters such as é or 中, symbols, emoji) is kept.
 *
 * <p>The backslash: the output is unambiguous (each output decodes to exactly one input) without
 * doubling every backslash, which would garble certificate subjects ({@code O=Corp\, Inc.} in RFC 2253
 * form) and subject substrings copied into {@code include}. A backslash is doubled only where it could
 * be read as the start of an escape: when the next output character is {@code \}, {@code n}, {@code r},
 * {@code t}, {@code x} or {@code u}. So {@code \x1b} in the output is always the ESC character, and
 * {@code \\x1b} is always the four characters {@code \x1b}.
 */
public final class SafeText {
    private SafeText() {}

    /** {@code s} escaped as above, on one line; null stays null. */
    public static String escape(String s) {
        if (s == null) return null;
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp == '\\') {
                sb.append('\\');
                if (startsEscape(s, i + 1)) sb.append('\\');
            } else if (needsEscape(cp)) {
                appendEscape(sb, s, i, cp, n);
            } else {
                sb.appendCodePoint(cp);
            }
            i += n;
        }
        return sb.toString();
    }

    /**
     * For multi-line text whose line breaks are vmtrust's own (a diff, a list of problems): each line
     * escaped, the {@code \n} between lines kept. A CR, also before an LF, is escaped.
     */
    public static String escapeLines(String s) {
        if (s == null) return null;
        String[] lines = s.split("\n", -1);
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) sb.append('\n');
            sb.append(escape(lines[i]));
        }
        return sb.toString();
    }

    /** Whether the code point is shown as an escape. */
    public static boolean needsEscape(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }

    /** Whether the output at {@code i} begins with one of the characters that follow a backslash in an escape. */
    private static boolean startsEscape(String s, int i) {
        if (i >= s.length()) return false;
        int cp = s.codePointAt(i);
        if (cp == '\\' || needsEscape(cp)) return true; // the output there begins with a backslash
        return cp == 'n' || cp == 'r' || cp == 't' || cp == 'x' || cp == 'u';
    }

    private static void appendEscape(StringBuilder sb, String s, int i, int cp, int n) {
        switch (cp) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> {
                if (Character.getType(cp) == Character.CONTROL) sb.append(String.format("\\x%02x", cp));
                else for (int k = 0; k < n; k++) sb.append(String.format("\\u%04x", (int) s.charAt(i + k)));
            }
        }
    }
}
