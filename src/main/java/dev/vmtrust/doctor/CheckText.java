package dev.vmtrust.doctor;

import dev.vmtrust.json.Json;
import dev.vmtrust.platform.SafeText;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints checks. Human form, one line per check, then the hint on its own line:
 * <pre>
 * ok    ca-set              2 CAs: CN=Corp Root,O=Corp (expires 2035-01-01), ...
 * fail  colima/default      ssh: cannot reach the VM over SSH (127.0.0.1:52311): connection refused
 *       next: colima start default
 * doctor: 12 ok, 1 warn, 1 fail
 * </pre>
 * The second column is the target for per-target checks (the id then starts the message), else the id.
 * JSON form: {@code {"checks":[{"id","target","status","message","hint"}]}}.
 */
public final class CheckText {
    static final int STATUS_WIDTH = 6;
    static final int LABEL_WIDTH = 20;

    private CheckText() {}

    public static void print(PrintWriter out, List<Check> checks) {
        for (Check c : checks) out.println(line(c));
        long ok = checks.stream().filter(c -> c.status() == Check.Status.OK).count();
        long warn = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
        long fail = checks.stream().filter(Check::failed).count();
        out.println("doctor: " + ok + " ok, " + warn + " warn, " + fail + " fail");
    }

    /**
     * The line (and, when there is a hint, the {@code next:} line) for one check, without a final newline.
     * Target names (folder names), messages and hints carry outside text (VM output, paths): each is escaped
     * ({@link SafeText}), so the only line break is the one before {@code next:}.
     */
    public static String line(Check c) {
        String label = SafeText.escape(c.target() == null ? c.id() : c.target());
        String text = SafeText.escape(c.target() == null ? c.message() : c.id() + ": " + c.message());
        String s = pad(c.status().word(), STATUS_WIDTH) + pad(label, LABEL_WIDTH - 2) + "  " + text;
        if (c.hint() != null) s += "\n" + " ".repeat(STATUS_WIDTH) + "next: " + SafeText.escape(c.hint());
        return s;
    }

    public static String json(List<Check> checks) {
        return Json.write(Json.obj("checks", checks.stream().map(Check::toJson).toList()));
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
