package dev.vmtrust.vm.provision;

import java.util.ArrayList;
import java.util.List;

/**
 * A line-based unified diff ("diff -u" format: ---/+++ headers, @@ hunks with 3 lines of context,
 * "\ No newline at end of file" markers). Common leading and trailing lines are trimmed first,
 * then the middle is aligned by longest common subsequence; a middle too large for that (over
 * 4M cell table) is shown as one replacement. CR before LF is shown as part of the line.
 */
public final class UnifiedDiff {
  static final int CONTEXT = 3;
  private static final long MAX_TABLE = 4_000_000L;

  private UnifiedDiff() {}

  /** The diff from oldText to newText, or "" when they are equal. */
  public static String diff(String oldLabel, String newLabel, String oldText, String newText) {
    List<String> a = lines(oldText);
    List<String> b = lines(newText);
    String ops = align(a, b); // one char per line: ' ' kept, '-' deleted, '+' inserted
    if (ops.chars().allMatch(op -> op == ' ')) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(oldLabel).append('\n');
    out.append("+++ ").append(newLabel).append('\n');
    int i = 0;
    while (i < ops.length()) {
      if (ops.charAt(i) == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i; // extend while the next change is within 2*CONTEXT equal lines
      int lastChange = i;
      while (end < ops.length() && end - lastChange <= 2 * CONTEXT + 1) {
        if (ops.charAt(end) != ' ') {
          lastChange = end;
        }
        end++;
      }
      end = Math.min(ops.length(), lastChange + 1 + CONTEXT);
      hunk(out, ops, a, b, start, end);
      i = end;
    }
    return out.toString();
  }

  private static void hunk(StringBuilder out, String ops, List<String> a, List<String> b,
      int start, int end) {
    int aStart = 0;
    int bStart = 0;
    for (int k = 0; k < start; k++) {
      aStart += ops.charAt(k) != '+' ? 1 : 0;
      bStart += ops.charAt(k) != '-' ? 1 : 0;
    }
    int aCount = 0;
    int bCount = 0;
    for (int k = start; k < end; k++) {
      aCount += ops.charAt(k) != '+' ? 1 : 0;
      bCount += ops.charAt(k) != '-' ? 1 : 0;
    }
    out.append("@@ -").append(range(aStart, aCount)).append(" +").append(range(bStart, bCount))
        .append(" @@\n");
    int ai = aStart;
    int bi = bStart;
    for (int k = start; k < end; k++) {
      char op = ops.charAt(k);
      String line = op == '+' ? b.get(bi) : a.get(ai);
      ai += op != '+' ? 1 : 0;
      bi += op != '-' ? 1 : 0;
      out.append(op).append(line.endsWith("\n") ? line : line + "\n\\ No newline at end of file\n");
    }
  }

  /** "start,count" with 1-based start; an empty range names the line before it, as diff does. */
  private static String range(int start, int count) {
    if (count == 1) {
      return String.valueOf(start + 1);
    }
    return (count == 0 ? start : start + 1) + "," + count;
  }

  /** Lines with their "\n" kept, so that a missing final newline is a difference. */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int nl = text.indexOf('\n', at);
      int end = nl < 0 ? text.length() : nl + 1;
      lines.add(text.substring(at, end));
      at = end;
    }
    return lines;
  }

  private static String align(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    StringBuilder ops = new StringBuilder();
    for (int k = 0; k < prefix; k++) {
      ops.append(' ');
    }
    List<String> am = a.subList(prefix, a.size() - suffix);
    List<String> bm = b.subList(prefix, b.size() - suffix);
    if ((long) (am.size() + 1) * (bm.size() + 1) > MAX_TABLE) {
      ops.append("-".repeat(am.size()));
      ops.append("+".repeat(bm.size()));
    } else {
      lcs(am, bm, ops);
    }
    for (int k = 0; k < suffix; k++) {
      ops.append(' ');
    }
    return ops.toString();
  }

  /** Classic LCS table; deletions are listed before insertions within a change. */
  private static void lcs(List<String> a, List<String> b, StringBuilder ops) {
    int n = a.size();
    int m = b.size();
    int[][] len = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1
            : Math.max(len[i + 1][j], len[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.append(' ');
        i++;
        j++;
      } else if (j == m || (i < n && len[i + 1][j] >= len[i][j + 1])) {
        ops.append('-');
        i++;
      } else {
        ops.append('+');
        j++;
      }
    }
  }
}
