package dev.vmtrust.vm.provision;

import org.yaml.snakeyaml.error.Mark;

/**
 * The YAML text being edited, with line helpers. SnakeYAML's {@link Mark#getIndex()} counts code
 * points (a CR LF pair is two), so marks are mapped to char offsets here before any splice.
 * Lines end with "\n" only: {@link ProvisionDoc} refuses texts with other YAML line breaks.
 */
final class SourceText {
    final String text;
    /** Char offset of each code point index, or null when the text has no surrogate pairs. */
    private final int[] charOffsetOf;

    SourceText(String text) {
        this.text = text;
        if (text.codePointCount(0, text.length()) == text.length()) {
            charOffsetOf = null;
        } else {
            charOffsetOf = new int[text.codePointCount(0, text.length()) + 1];
            int cp = 0;
            for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
                charOffsetOf[cp++] = i;
            }
            charOffsetOf[cp] = text.length();
        }
    }

    int offset(Mark mark) {
        int index = mark.getIndex();
        return charOffsetOf == null ? index : charOffsetOf[index];
    }

    int length() {
        return text.length();
    }

    char charAt(int offset) {
        return text.charAt(offset);
    }

    String slice(int start, int end) {
        return text.substring(start, end);
    }

    /** Offset of the first char of the line holding {@code offset}. */
    int lineStart(int offset) {
        return text.lastIndexOf('\n', offset - 1) + 1;
    }

    /** Offset just after the line break of the line holding {@code offset}, or the text's end. */
    int nextLineStart(int offset) {
        int nl = text.indexOf('\n', offset);
        return nl < 0 ? text.length() : nl + 1;
    }

    boolean isLineStart(int offset) {
        return offset == 0 || text.charAt(offset - 1) == '\n';
    }

    /** "\r\n" when the text's first line break is CR LF, else "\n". */
    String eol() {
        int nl = text.indexOf('\n');
        return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }

    /** True when the line [start, end) holds only spaces, tabs and its line break. */
    boolean isBlank(int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Column of the line's first non-blank char when it is '#', else -1. */
    int commentColumn(int lineStart, int end) {
        for (int i = lineStart; i < end; i++) {
            char c = text.charAt(i);
            if (c == '#') {
                return i - lineStart;
            }
            if (c != ' ' && c != '\t') {
                return -1;
            }
        }
        return -1;
    }
}
