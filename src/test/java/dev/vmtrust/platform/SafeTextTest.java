package dev.vmtrust.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void newlinesEscapeSequencesAndOtherControlCharactersBecomeVisibleEscapes() {
        assertThat(SafeText.escape("CN=a\r\nb\u001b[31mred\u001b]0;pwned\u0007\u0000\u007f\u0085\u009b\t"))
                .isEqualTo("CN=a\\r\\nb\\x1b[31mred\\x1b]0;pwned\\x07\\x00\\x7f\\x85\\x9b\\t");
    }

    @Test
    void bidiZeroWidthAndLineSeparatorCharactersBecomeUnicodeEscapes() {
        assertThat(SafeText.escape("a\u202ecod.exe\u202c\u200e\u200f\u202a\u202b\u202d\u2066\u2067\u2068\u2069\u061c"))
                .isEqualTo(
                        "a\\u202ecod.exe\\u202c\\u200e\\u200f\\u202a\\u202b\\u202d\\u2066\\u2067\\u2068\\u2069\\u061c");
        assertThat(SafeText.escape("zero\u200b\u200c\u200d\u2060\ufeffwidth\u2028line\u2029para\u00adsoft"))
                .isEqualTo("zero\\u200b\\u200c\\u200d\\u2060\\ufeffwidth\\u2028line\\u2029para\\u00adsoft");
    }

    @Test
    void aSupplementaryFormatCharacterAndALoneSurrogateAreEscapedAsUtf16Units() {
        assertThat(SafeText.escape("tag\udb40\udc01 lone\ud800")).isEqualTo("tag\\udb40\\udc01 lone\\ud800");
    }

    @Test
    void lettersSymbolsEmojiMarkupAndQuotesAreKept() {
        String s = "CN=Café 中文 Ünïcode 😀,O=\"Corp\" <a href=\"x\">&amp; 'q' $HOME `id`";
        assertThat(SafeText.escape(s)).isEqualTo(s);
    }

    @Test
    void aBackslashIsDoubledOnlyWhereItCouldStartAnEscape() {
        assertThat(SafeText.escape("O=Corp\\, Inc.")).isEqualTo("O=Corp\\, Inc.");
        assertThat(SafeText.escape("C:\\x1b and \\n and \\u202e")).isEqualTo("C:\\\\x1b and \\\\n and \\\\u202e");
        assertThat(SafeText.escape("a\\\\b")).isEqualTo("a\\\\\\b");
        assertThat(SafeText.escape("a\\\u001b")).isEqualTo("a\\\\\\x1b");
        assertThat(SafeText.escape("end\\")).isEqualTo("end\\");
    }

    @Test
    void everyOutputDecodesBackToExactlyItsInput() {
        Random random = new Random(12);
        String alphabet = "\\nrtxu0a\n\r\t\u001b\u007f\u0085\u202e\u2028é中";
        for (int round = 0; round < 20000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(8); i > 0; i--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String in = sb.toString();
            String out = SafeText.escape(in);
            assertThat(out.codePoints().noneMatch(SafeText::needsEscape))
                    .as(out)
                    .isTrue();
            assertThat(decode(out)).as(out).isEqualTo(in);
        }
    }

    @Test
    void escapeLinesKeepsLineFeedsBetweenLinesAndEscapesTheRest() {
        assertThat(SafeText.escapeLines("one\r\ntwo\u001b[2J\n\u202ethree\n"))
                .isEqualTo("one\\r\ntwo\\x1b[2J\n\\u202ethree\n");
    }

    @Test
    void nullStaysNull() {
        assertThat(SafeText.escape(null)).isNull();
        assertThat(SafeText.escapeLines(null)).isNull();
    }

    /** The documented reading: backslash-backslash, -n, -r, -t, -xNN, -uNNNN; any other backslash is itself. */
    private static String decode(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (c != '\\') sb.append(c);
            else if (next == '\\') {
                sb.append('\\');
                i++;
            } else if (next == 'n') {
                sb.append('\n');
                i++;
            } else if (next == 'r') {
                sb.append('\r');
                i++;
            } else if (next == 't') {
                sb.append('\t');
                i++;
            } else if (next == 'x') {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (next == 'u') {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else sb.append(c);
        }
        return sb.toString();
    }
}
