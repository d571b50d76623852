package dev.vmtrust.cli;

import dev.vmtrust.platform.SafeText;
import dev.vmtrust.reconcile.Report;
import dev.vmtrust.reconcile.TargetReport;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.VmState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Human text for a {@link Report}: a header line, then one line per target saying which case happened.
 * {@link #line} and {@link #purgeLine} return raw text; {@link #print} escapes it ({@link SafeText}).
 */
final class ReportText {
    private ReportText() {}

    static void print(PrintWriter out, Report r, String verb) {
        boolean purge = verb.equals("purged");
        if (purge) out.println("purged " + r.at() + ": vmtrust's CA files and provision entries removed");
        else
            out.println(verb + " " + r.at() + ": CA set " + r.bundle() + " (" + r.cas() + " CA"
                    + (r.cas() == 1 ? "" : "s") + ")");
        if (r.targets().isEmpty()) out.println("  no Colima profiles or Lima instances found");
        // names (folder names), errors and hints (VM output, YAML) and diffs come from outside: escaped here
        int width = r.targets().stream()
                .mapToInt(t -> SafeText.escape(t.name()).length())
                .max()
                .orElse(0);
        for (TargetReport t : r.targets()) {
            out.println("  " + pad(SafeText.escape(t.name()), width) + "  "
                    + SafeText.escape(purge ? purgeLine(t) : line(t, r.cas())));
            if (t.hint() != null) out.println("  " + pad("", width) + "  next: " + SafeText.escape(t.hint()));
            for (String n : t.notes()) out.println("  " + pad("", width) + "  note: " + SafeText.escape(n));
            for (String d : t.diffs()) out.print(SafeText.escapeLines(d.endsWith("\n") ? d : d + "\n"));
        }
        for (Report.TemplateReport t : r.templates()) {
            String what = switch (t.persisted()) {
                case UPDATED -> "provision entry updated";
                case UNCHANGED -> "provision entry current";
                case WOULD_UPDATE -> "provision entry would be updated";
                case FAILED -> "failed: " + t.error();
                case SKIPPED -> "skipped";
            };
            out.println(SafeText.escape("  template " + t.file() + ": " + what));
        }
    }

    static String line(TargetReport t, int cas) {
        List<String> parts = new ArrayList<>();
        switch (t.result()) {
            case UNCHANGED -> parts.add("already trusts " + cas + " CA" + (cas == 1 ? "" : "s"));
            case UPDATED -> parts.add(counts(t) + restarted(t));
            case PENDING_RESTART ->
                parts.add(counts(t) + ", restart pending: " + String.join(", ", t.pendingRestart()) + " ("
                        + t.containersRunning() + " container" + (t.containersRunning() == 1 ? "" : "s") + " running)");
            case WOULD_UPDATE -> parts.add("would change: " + counts(t));
            case SKIPPED -> parts.add(t.state() == VmState.STOPPED ? "stopped: skipped" : "skipped");
            case FAILED -> parts.add("failed: " + t.error());
        }
        if (t.persisted() == Persisted.UPDATED) parts.add("provision entry updated");
        if (t.persisted() == Persisted.WOULD_UPDATE) parts.add("provision entry would be updated");
        if (t.persisted() == Persisted.FAILED && t.result() != LiveStatus.FAILED)
            parts.add("provision entry failed: " + t.error());
        return String.join("; ", parts);
    }

    static String purgeLine(TargetReport t) {
        List<String> parts = new ArrayList<>();
        switch (t.result()) {
            case UPDATED -> parts.add(t.removed() + " CA file" + (t.removed() == 1 ? "" : "s") + " removed");
            case UNCHANGED -> parts.add("no vmtrust CA files in the VM");
            case SKIPPED -> parts.add("stopped: nothing to remove in the VM");
            case FAILED -> parts.add("failed: " + t.error());
            default -> parts.add(TargetReport.word(t.result()));
        }
        if (t.persisted() == Persisted.UPDATED) parts.add("provision entry removed");
        if (t.persisted() == Persisted.FAILED && t.result() != LiveStatus.FAILED)
            parts.add("provision entry failed: " + t.error());
        return String.join("; ", parts);
    }

    private static String counts(TargetReport t) {
        return "+" + t.added() + " -" + t.removed();
    }

    private static String restarted(TargetReport t) {
        return t.restarted().isEmpty() ? "" : ", " + String.join(", ", t.restarted()) + " restarted";
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
