package dev.vmtrust.cli;

import dev.vmtrust.config.Locations;
import dev.vmtrust.json.Json;
import dev.vmtrust.platform.SafeText;
import dev.vmtrust.reconcile.Report;
import dev.vmtrust.reconcile.StateStore;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmtrust status}: the last reconcile per target, read from the state file; no daemon needed. */
@Command(name = "status", description = "Show the last reconcile per target (from the state file).")
final class StatusCommand implements Callable<Integer>, JsonOutput {
    @Option(names = "--json", description = "print the last report as JSON")
    boolean json;

    private final Context ctx;

    StatusCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public boolean json() {
        return json;
    }

    @Override
    public Integer call() throws IOException {
        StateStore store = new StateStore(new Locations(ctx.env()).stateDir());
        Optional<Report> last = store.readReport();
        if (last.isEmpty()) {
            if (json)
                ctx.out()
                        .println(Json.write(
                                Json.obj("at", null, "bundle", null, "cas", 0, "targets", java.util.List.of())));
            else
                ctx.out()
                        .println(SafeText.escape("no reconcile yet ("
                                + store.dir().resolve(StateStore.STATUS) + " does not exist); run: vmtrust sync"));
            return ExitCodes.OK;
        }
        Report r = last.get();
        if (json) ctx.out().println(Json.write(r.toJson()));
        else ReportText.print(ctx.out(), r, "last reconcile");
        return ExitCodes.of(r);
    }
}
