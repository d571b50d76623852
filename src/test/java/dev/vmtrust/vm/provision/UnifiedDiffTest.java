package dev.vmtrust.vm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    assertThat(UnifiedDiff.diff("f.yaml", "f.yaml", old, now)).isEqualTo("--- f.yaml\n"
        + "+++ f.yaml\n@@ -3,7 +3,7 @@\n 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n");
  }

  @Test
  void changesFarApartGetTwoHunksAndCloseOnesOne() {
    String old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";

    String far = UnifiedDiff.diff("x", "x", old, old.replace("a\n", "A\n").replace("m\n", "M\n"));
    String close = UnifiedDiff.diff("x", "x", old, old.replace("b\n", "B\n").replace("i\n", "I\n"));

    assertThat(far).isEqualTo("--- x\n+++ x\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n"
        + "@@ -10,4 +10,4 @@\n j\n k\n l\n-m\n+M\n");
    assertThat(close).isEqualTo("--- x\n+++ x\n@@ -1,12 +1,12 @@\n a\n-b\n+B\n c\n d\n e\n f\n"
        + " g\n h\n-i\n+I\n j\n k\n l\n");
  }

  @Test
  void insertionsIntoAndCreationOfFilesUseEmptyRanges() {
    assertThat(UnifiedDiff.diff("/dev/null", "f", "", "a\nb\n"))
        .isEqualTo("--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    assertThat(UnifiedDiff.diff("f", "f", "a\n", "a\nb\n"))
        .isEqualTo("--- f\n+++ f\n@@ -1 +1,2 @@\n a\n+b\n");
  }

  @Test
  void aMissingFinalNewlineIsMarked() {
    assertThat(UnifiedDiff.diff("f", "f", "a\nb", "a\nb\nc\n")).isEqualTo("--- f\n+++ f\n"
        + "@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n");
  }

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

      assertThat(Files.readString(dir.resolve("old"))).as("round %d", round).isEqualTo(now);
      assertThat(changedLines(ours)).as("round %d", round).isLessThanOrEqualTo(changedLines(gnu));
      assertThat(applyPatch(old, ours)).isEqualTo(now);
    }
  }

  private static String run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isLessThan(2);
    return out;
  }

  private static long changedLines(String diff) {
    return diff.lines().skip(2).filter(l -> l.startsWith("-") || l.startsWith("+")).count();
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
        case 1 -> { }
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
