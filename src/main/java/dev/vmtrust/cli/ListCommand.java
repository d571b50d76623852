package dev.vmtrust.cli;

import dev.vmtrust.json.Json;
import dev.vmtrust.platform.SafeText;
import dev.vmtrust.source.Collected;
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
    @ParentCommand Cli cli;

    @Option(names = "--json", description = "print one JSON object") boolean json;

    private final Context ctx;

    ListCommand(Context ctx) { this.ctx = ctx; }

    @Override public boolean json() { return json; }

    @Override public Integer call() {
        Collected c = Engines.of(ctx, cli.config()).collect();
        if (json) ctx.out().println(Json.write(toJson(c)));
        else print(ctx.out(), c);
        return c.bundle().isEmpty() ? ExitCodes.NO_CA : ExitCodes.OK;
    }

    static Map<String, Object> toJson(Collected c) {
        List<Object> cas = c.bundle().certs().stream().<Object>map(ca -> Json.obj("sha256", ca.sha256(),
                "subject", ca.subject(), "notAfter", ca.notAfter().toString(),
                "sources", c.labels().getOrDefault(ca.sha256(), List.of()))).toList();
        List<Object> rejected = c.rejected().stream().<Object>map(r -> Json.obj("source", r.source(),
                "reason", r.reason())).toList();
        return Json.obj("cas", cas, "rejected", rejected);
    }

    private static void print(PrintWriter out, Collected c) {
        if (c.bundle().isEmpty()) out.println("no CA found");
        else out.println(c.bundle().size() + " CA" + (c.bundle().size() == 1 ? "" : "s") + " (CA set " + c.bundle().label() + "):");
        for (CaCert ca : c.bundle().certs()) {
            out.println(SafeText.escape("  " + ca.fp16() + "  " + ca.subject() + "  expires " + ca.notAfter()
                    + "  from " + String.join(", ", c.labels().getOrDefault(ca.sha256(), List.of()))));
        }
        if (!c.rejected().isEmpty()) out.println("rejected:");
        for (Rejection r : c.rejected()) out.println("  " + SafeText.escape(r.source() + ": " + r.reason()));
    }
}
