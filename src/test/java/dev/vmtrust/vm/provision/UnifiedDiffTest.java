package dev.vmtrust.vm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnifiedDiffTest {

    @Test
    void equalTextsGiveAnEmptyDiff() {
        assertThat(UnifiedDiff.diff("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
    }

    @Test
    void aChangeIsShownWithThreeLinesOfContext() {
        String old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        String now = "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n";

        assertThat(UnifiedDiff.diff("f.yaml", "f.yaml", old, now))
                .isEqualTo("--- f.yaml\n" + "+++ f.yaml\n@@ -3,7 +3,7 @@\n 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n");
    }

    @Test
    void changesFarApartGetTwoHunksAndCloseOnesOne() {
        String old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";

        String far = UnifiedDiff.diff("x", "x", old, old.replace("a\n", "A\n").replace("m\n", "M\n"));
        String close = UnifiedDiff.diff("x", "x", old, old.replace("b\n", "B\n").replace("i\n", "I\n"));

        assertThat(far)
                .isEqualTo("--- x\n+++ x\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n"
                        + "@@ -10,4 +10,4 @@\n j\n k\n l\n-m\n+M\n");
        assertThat(close)
                .isEqualTo("--- x\n+++ x\n@@ -1,12 +1,12 @@\n a\n-b\n+B\n c\n d\n e\n f\n"
                        + " g\n h\n-i\n+I\n j\n k\n l\n");
    }

    @Test
    void insertionsIntoAndCreationOfFilesUseEmptyRanges() {
        assertThat(UnifiedDiff.diff("/dev/null", "f", "", "a\nb\n"))
                .isEqualTo("--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n");
        assertThat(UnifiedDiff.diff("f", "f", "a\n", "a\nb\n")).isEqualTo("--- f\n+++ f\n@@ -1 +1,2 @@\n a\n+b\n");
    }

    @Test
    void aMissingFinalNewlineIsMarked() {
        assertThat(UnifiedDiff.diff("f", "f", "a\nb", "a\nb\nc\n"))
                .isEqualTo("--- f\n+++ f\n" + "@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n");
    }

    @Test
    void removingEverythingAndCrlfLines() {
        assertThat(UnifiedDiff.diff("f", "f", "a\nb\n", "")).isEqualTo("--- f\n+++ f\n@@ -1,2 +0,0 @@\n-a\n-b\n");
        assertThat(UnifiedDiff.diff("f", "f", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"))
                .isEqualTo("--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n");
        assertThat(UnifiedDiff.diff("f", "f", "a\r\n", "a\n")).isEqualTo("--- f\n+++ f\n@@ -1 +1 @@\n-a\r\n+a\n");
    }

    @Test
    void changesSixEqualLinesApartShareAHunkAndSevenApartDoNot() {
        String old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\n";
        String six = old.replace("c\n", "x\n").replace("j\n", "y\n");
        String seven = old.replace("c\n", "x\n").replace("k\n", "y\n");

        assertThat(UnifiedDiff.diff("f", "f", old, six).lines().filter(l -> l.startsWith("@@")))
                .hasSize(1);
        assertThat(UnifiedDiff.diff("f", "f", old, seven))
                .isEqualTo("--- f\n+++ f\n@@ -1,6 +1,6 @@\n a\n b\n-c\n+x\n d\n e\n f\n"
                        + "@@ -8,7 +8,7 @@\n h\n i\n j\n-k\n+y\n l\n m\n n\n");
    }

    @Test
    void aMissingNewlineOnAnUnchangedLastLineIsMarkedInTheContext() {
        assertThat(UnifiedDiff.diff("f", "f", "a\nb\nc", "A\nb\nc"))
                .isEqualTo("--- f\n+++ f\n" + "@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n\\ No newline at end of file\n");
    }

    @Test
    void oneChangedLineInAFileOfMegabytesGivesOneSmallHunk() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            big.append("line ").append(i).append('\n');
        }
        String old = big.toString();
        String now = old.replace("\nline 100000\n", "\nchanged\n");

        assertThat(UnifiedDiff.diff("f", "f", old, now))
                .isEqualTo("--- f\n+++ f\n@@ -99998,7 +99998,7 @@\n"
                        + " line 99997\n line 99998\n line 99999\n-line 100000\n+changed\n line 100001\n line 100002\n"
                        + " line 100003\n");
    }

    @Test
    void aMiddleOverTheBudgetIsOneReplacementThatStillApplies() throws Exception {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3 * UnifiedDiff.MAX_EDITS; i++) {
            a.append(i).append('\n');
            b.append(i % 2 == 0 ? "even " + i : String.valueOf(i)).append('\n');
        }
        String diff = UnifiedDiff.diff("f", "f", a.toString(), b.toString());

        List<String> body = diff.lines().skip(3).toList();
        // lines 0..2998 differ in every other line: 1500 changes shown as one block, then the last line as context
        assertThat(diff.lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -1,3000 +1,3000 @@");
        assertThat(body).hasSize(2 * 2999 + 1).endsWith(" 2999");
        assertThat(body.subList(0, 2999)).allMatch(l -> l.startsWith("-"));
        assertThat(body.subList(2999, 2 * 2999)).allMatch(l -> l.startsWith("+"));
        assertThat(applyWithDiffUtils(a.toString(), diff)).isEqualTo(b.toString());
    }

    /**
     * Without external tools: java-diff-utils' own parser and patch apply each diff (checking every context and
     * deleted line at the position the header names), so does an independent reading of the headers, and the
     * diff changes exactly as few lines as the longest common subsequence allows.
     */
    @Test
    void randomDiffsApplyAndAreMinimal() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            String old = randomLines(random, random.nextInt(45));
            String now = round % 4 == 0 ? randomLines(random, random.nextInt(30)) : mutate(random, old);
            if (round % 7 == 0) {
                now = now.isEmpty() ? now : now.substring(0, now.length() - 1); // no final newline
            }
            if (round % 11 == 0) {
                old = old.replace("a\n", "a\r\n");
            }
            String ours = UnifiedDiff.diff("old", "new", old, now);

            assertThat(ours.isEmpty()).as("round %d", round).isEqualTo(old.equals(now));
            assertThat(applyWithDiffUtils(old, ours)).as("round %d", round).isEqualTo(now);
            assertThat(applyPatch(old, ours)).as("round %d", round).isEqualTo(now);
            List<String> a = UnifiedDiff.lines(old);
            List<String> b = UnifiedDiff.lines(now);
            assertThat(changedLines(ours)).as("round %d", round).isEqualTo(a.size() + b.size() - 2L * lcs(a, b));
        }
    }

    /** An extra check where GNU diff and patch are installed (CI installs them). */
    @Test
    void gnuPatchAppliesOurDiffsAndGnuDiffChangesNoFewerLines(@TempDir Path dir) throws Exception {
        dev.vmtrust.testing.Require.tool("comparing with GNU diff", "/usr/bin/diff");
        dev.vmtrust.testing.Require.tool("applying our diffs with GNU patch", "/usr/bin/patch");
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            String old = randomLines(random, 5 + random.nextInt(40));
            String now = round % 4 == 0 ? randomLines(random, random.nextInt(30)) : mutate(random, old);
            if (round % 7 == 0) {
                now = now.isEmpty() ? now : now.substring(0, now.length() - 1); // no final newline
            }
            Files.writeString(dir.resolve("old"), old);
            Files.writeString(dir.resolve("new"), now);
            String ours = UnifiedDiff.diff("old", "new", old, now);
            Files.writeString(dir.resolve("ours.diff"), ours);

            String gnu = run(dir, "/usr/bin/diff", "-u", "old", "new");
            run(dir, "/usr/bin/patch", "--quiet", "old", "ours.diff");

            assertThat(Files.readString(dir.resolve("old")))
                    .as("round %d", round)
                    .isEqualTo(now);
            assertThat(changedLines(ours)).as("round %d", round).isLessThanOrEqualTo(changedLines(gnu));
            assertThat(applyPatch(old, ours)).isEqualTo(now);
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ": " + out)
                .isLessThan(2);
        return out;
    }

    /**
     * Applies a diff with java-diff-utils: its parser drops "\\ No newline at end of file" and works on lines
     * without their end, so each line gets its "\\n" back here unless the marker follows it.
     */
    private static String applyWithDiffUtils(String old, String diff) throws Exception {
        List<String> in = UnifiedDiff.lines(diff);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String line = in.get(i).substring(0, in.get(i).length() - 1);
            boolean body = i >= 2 && !line.startsWith("@@") && !line.startsWith("\\");
            boolean noNewline = i + 1 < in.size() && in.get(i + 1).startsWith("\\ No newline at end of file");
            if (!line.startsWith("\\")) {
                lines.add(body && !noNewline ? line + "\n" : line);
            }
        }
        return String.join("", DiffUtils.patch(UnifiedDiff.lines(old), UnifiedDiffUtils.parseUnifiedDiff(lines)));
    }

    /** Length of the longest common subsequence (the classic table), the independent measure of minimality. */
    private static int lcs(List<String> a, List<String> b) {
        int[][] len = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        return len[0][0];
    }

    private static long changedLines(String diff) {
        return diff.lines()
                .skip(2)
                .filter(l -> l.startsWith("-") || l.startsWith("+"))
                .count();
    }

    private static String randomLines(Random random, int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append((char) ('a' + random.nextInt(6))).append('\n');
        }
        return text.toString();
    }

    /** Changes, deletes or inserts about one line in eight. */
    private static String mutate(Random random, String text) {
        StringBuilder out = new StringBuilder();
        for (String line : UnifiedDiff.lines(text)) {
            switch (random.nextInt(24)) {
                case 0 -> out.append("changed\n");
                case 1 -> {}
                case 2 -> out.append(line).append("inserted\n");
                default -> out.append(line);
            }
        }
        return out.toString();
    }

    /** Applies our hunks to old, trusting the line numbers in the headers. */
    private static String applyPatch(String old, String diff) {
        List<String> in = UnifiedDiff.lines(old);
        StringBuilder out = new StringBuilder();
        int next = 0;
        char last = ' ';
        for (String line : diff.lines().skip(2).toList()) {
            char kind = line.charAt(0);
            if (line.startsWith("@@")) {
                int start = Integer.parseInt(line.split("[ ,]")[1].substring(1));
                int count = line.split(" ")[1].contains(",") ? Integer.parseInt(line.split("[ ,]")[2]) : 1;
                int from = count == 0 ? start : start - 1;
                while (next < from) {
                    out.append(in.get(next++));
                }
            } else if (line.startsWith("+")) {
                out.append(line.substring(1)).append('\n');
            } else if (line.startsWith("\\")) {
                if (last != '-') {
                    out.setLength(out.length() - 1); // "\ No newline at end of file"
                }
            } else {
                next++;
                if (line.startsWith(" ")) {
                    out.append(line.substring(1)).append('\n');
                }
            }
            last = kind == '\\' ? last : kind;
        }
        while (next < in.size()) {
            out.append(in.get(next++));
        }
        return out.toString();
    }
}
