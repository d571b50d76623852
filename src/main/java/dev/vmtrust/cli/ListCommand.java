package dev.vmtrust.cli;

import dev.vmtrust.json.Json;
import dev.vmtrust.platform.SafeText;
import dev.vmtrust.source.CollectedSet;
import dev.vmtrust.source.PublicRoots;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Rejection;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vmtrust list}: the CAs the sources yield now, and every rejected input with its reason. */
@Command(name = "list", description = "List the CAs the sources yield now, and every rejected input.")
final class ListCommand implements Callable<Integer>, JsonOutput {
    @ParentCommand
    Cli cli;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(
            names = {"-v", "--verbose"},
            description = "also name each routinely skipped certificate (a keychain's non-CAs and expired ones)")
    boolean verbose;

    private final Context ctx;

    ListCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public boolean json() {
        return json;
    }

    @Override
    public Integer call() {
        CollectedSet c = ctx.reconcile(cli.config()).collect();
        if (json) ctx.out().println(Json.write(toJson(c)));
        else print(ctx.out(), c, verbose || cli.verbose);
        return c.bundle().isEmpty() ? ExitCodes.NO_CA : ExitCodes.OK;
    }

    static Map<String, Object> toJson(CollectedSet c) {
        List<Object> cas = c.bundle().certs().stream()
                .<Object>map(ca -> Json.obj(
                        "sha256",
                        ca.sha256(),
                        "subject",
                        ca.subject(),
                        "notAfter",
                        ca.notAfter().toString(),
                        "sources",
                        c.labels().getOrDefault(ca.sha256(), List.of())))
                .toList();
        List<Object> rejected = c.rejected().stream()
                .<Object>map(r -> Json.obj("source", r.source(), "reason", r.reason()))
                .toList();
        List<Object> skipped = c.skipped().stream()
                .<Object>map(r -> Json.obj("source", r.source(), "reason", r.reason()))
                .toList();
        PublicRoots.Reference ref = c.publicRoots();
        Object roots = ref == null
                ? null
                : Json.obj(
                        "reference",
                        ref.kind(),
                        "description",
                        ref.description(),
                        "path",
                        ref.path(),
                        "count",
                        ref.count(),
                        "byChain",
                        ref.byChain());
        if (!c.bundle().isEmpty())
            return Json.obj("cas", cas, "rejected", rejected, "skipped", skipped, "publicRoots", roots);
        return Json.obj(
                "cas",
                cas,
                "rejected",
                rejected,
                "skipped",
                skipped,
                "publicRoots",
                roots,
                "lookedIn",
                List.<Object>copyOf(c.looked().places()),
                "next",
                c.looked().nextStep());
    }

    private static void print(PrintWriter out, CollectedSet c, boolean verbose) {
        if (c.bundle().isEmpty()) {
            out.println("no CA found");
            CollectedSet.Looked l = c.looked();
            out.println(SafeText.escape("looked in: "
                    + (l.places().isEmpty() ? "nothing (every source is off)" : String.join("; ", l.places()))));
            out.println(SafeText.escape("next: " + l.nextStep()));
        } else {
            out.println(c.bundle().size() + " CA" + (c.bundle().size() == 1 ? "" : "s") + " (CA set "
                    + c.bundle().label() + "):");
        }
        for (CaCert ca : c.bundle().certs()) {
            out.println(SafeText.escape("  " + ca.fp16() + "  " + ca.subject() + "  expires " + ca.notAfter()
                    + "  from " + String.join(", ", c.labels().getOrDefault(ca.sha256(), List.of()))));
        }
        if (c.publicRoots() != null) out.println(SafeText.escape(c.publicRoots().line()));
        printSkipped(out, c.skipped(), verbose);
        if (!c.rejected().isEmpty()) out.println("rejected:");
        for (Rejection r : c.rejected()) out.println("  " + SafeText.escape(r.source() + ": " + r.reason()));
    }

    /** One count line per source kind ({@code keychain}); with {@code verbose} each skip under it. */
    private static void printSkipped(PrintWriter out, List<Rejection> skipped, boolean verbose) {
        Map<String, List<Rejection>> byKind = new java.util.TreeMap<>();
        for (Rejection r : skipped) {
            int colon = r.source().indexOf(':');
            byKind.computeIfAbsent(
                            colon < 0 ? r.source() : r.source().substring(0, colon), k -> new java.util.ArrayList<>())
                    .add(r);
        }
        byKind.forEach((kind, list) -> {
            int n = list.size();
            String what = n == 1
                    ? " certificate that is not a CA or has expired was skipped"
                    : " certificates that are not CAs or have expired were skipped";
            out.println(SafeText.escape(kind + ": " + n + what + (verbose ? ":" : " (vmtrust list -v names them)")));
            if (verbose) for (Rejection r : list) out.println("  " + SafeText.escape(r.source() + ": " + r.reason()));
        });
    }
}
