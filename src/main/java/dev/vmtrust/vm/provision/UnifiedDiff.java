package dev.vmtrust.vm.provision;

import com.github.difflib.DiffUtils;
import com.github.difflib.algorithm.DiffAlgorithmListener;
import com.github.difflib.algorithm.myers.MyersDiff;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.List;

/**
 * A line-based unified diff in GNU {@code diff -u} format: ---/+++ headers, @@ hunks with 3 lines of context
 * (changes at most 6 equal lines apart share a hunk), "start,count" ranges where an empty range names the line
 * before it and a count of 1 is left out, "\ No newline at end of file" after a line without one. A line keeps
 * its "\n", so a missing final newline is a difference, and a CR before the LF is part of the line.
 *
 * <p>The alignment is java-diff-utils' Myers diff (a minimal edit script) of what lies between the common
 * leading and trailing lines. When that middle would take more than {@value #MAX_EDITS} edits, or more than
 * about {@value #MAX_WORK} line comparisons (a rewritten file of megabytes), it is shown as one replacement,
 * which is still a correct diff.
 */
public final class UnifiedDiff {
    static final int CONTEXT = 3;
    static final int MAX_EDITS = 1_000;
    static final long MAX_WORK = 16_000_000L;

    private UnifiedDiff() {}

    /** One change: lines [aStart, aEnd) of the old text replaced by lines [bStart, bEnd) of the new one. */
    private record Change(int aStart, int aEnd, int bStart, int bEnd) {}

    /** The diff from oldText to newText, or "" when they are equal. */
    public static String diff(String oldLabel, String newLabel, String oldText, String newText) {
        List<String> a = lines(oldText);
        List<String> b = lines(newText);
        List<Change> changes = changes(a, b);
        if (changes.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldLabel).append('\n');
        out.append("+++ ").append(newLabel).append('\n');
        for (int first = 0; first < changes.size(); ) {
            int last = first;
            while (last + 1 < changes.size()
                    && changes.get(last + 1).aStart() - changes.get(last).aEnd() <= 2 * CONTEXT) {
                last++;
            }
            hunk(out, a, b, changes.subList(first, last + 1));
            first = last + 1;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<String> a, List<String> b, List<Change> changes) {
        Change first = changes.get(0);
        Change last = changes.get(changes.size() - 1);
        int aFrom = Math.max(0, first.aStart() - CONTEXT);
        int bFrom = first.bStart() - (first.aStart() - aFrom);
        int aTo = Math.min(a.size(), last.aEnd() + CONTEXT);
        int bTo = last.bEnd() + (aTo - last.aEnd());
        out.append("@@ -")
                .append(range(aFrom, aTo - aFrom))
                .append(" +")
                .append(range(bFrom, bTo - bFrom))
                .append(" @@\n");
        int at = aFrom;
        for (Change c : changes) {
            lines(out, ' ', a, at, c.aStart());
            lines(out, '-', a, c.aStart(), c.aEnd());
            lines(out, '+', b, c.bStart(), c.bEnd());
            at = c.aEnd();
        }
        lines(out, ' ', a, at, aTo);
    }

    private static void lines(StringBuilder out, char op, List<String> text, int from, int to) {
        for (String line : text.subList(from, to)) {
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

    /** The changes, in order; deletions come before insertions within a change. */
    private static List<Change> changes(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix
                && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<String> am = a.subList(prefix, a.size() - suffix);
        List<String> bm = b.subList(prefix, b.size() - suffix);
        List<Change> changes = new ArrayList<>();
        if (am.isEmpty() && bm.isEmpty()) {
            return changes;
        }
        try {
            for (AbstractDelta<String> d : DiffUtils.diff(am, bm, new MyersDiff<>(), budget(am.size() + bm.size()))
                    .getDeltas()) {
                int aStart = prefix + d.getSource().getPosition();
                int bStart = prefix + d.getTarget().getPosition();
                changes.add(new Change(
                        aStart,
                        aStart + d.getSource().size(),
                        bStart,
                        bStart + d.getTarget().size()));
            }
        } catch (OverBudget e) {
            changes.clear();
            changes.add(new Change(prefix, a.size() - suffix, prefix, b.size() - suffix));
        }
        return changes;
    }

    /** Stops Myers (which reports each edit distance d it tries) past MAX_EDITS or about MAX_WORK comparisons. */
    private static DiffAlgorithmListener budget(int lines) {
        long maxEdits = Math.min(MAX_EDITS, MAX_WORK / (lines + 1L));
        return new DiffAlgorithmListener() {
            @Override
            public void diffStart() {}

            @Override
            public void diffStep(int value, int max) {
                if (value > maxEdits) {
                    throw new OverBudget();
                }
            }

            @Override
            public void diffEnd() {}
        };
    }

    private static final class OverBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverBudget() {
            super(null, null, false, false);
        }
    }
}
