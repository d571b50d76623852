package dev.vmtrust.cli;

/**
 * Text from certificates (subjects) or VMs made safe for a terminal: control characters (newlines, ESC
 * sequences that could move the cursor or retitle the window) are shown as {@code \n}, {@code \x1b}, ...
 * JSON output needs no such step: the JSON writer escapes them.
 */
final class Printable {
    private Printable() {}

    static String of(String s) {
        if (s == null) return null;
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
