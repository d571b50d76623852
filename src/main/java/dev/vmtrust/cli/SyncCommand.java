package dev.vmtrust.cli;

import dev.vmtrust.config.Config;
import dev.vmtrust.json.Json;
import dev.vmtrust.reconcile.NoCaFoundException;
import dev.vmtrust.reconcile.Reconcile;
import dev.vmtrust.reconcile.Report;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vmtrust sync}: one reconcile of every target (or one), then the report. */
@Command(name = "sync", description = "Reconcile every Colima profile and Lima instance once.")
final class SyncCommand implements Callable<Integer>, JsonOutput {
    @ParentCommand
    Cli cli;

    @Option(names = "--dry-run", description = "connect and observe, change nothing, print the plan")
    boolean dryRun;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(
            names = "--restart",
            paramLabel = "POLICY",
            description = "auto, always or never (default: config `restart`)")
    String restart;

    @Option(names = "--target", paramLabel = "NAME", description = "only this target, e.g. colima/default or lima/dev")
    String target;

    private final Context ctx;

    SyncCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public boolean json() {
        return json;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Config config = cli.config();
        Config.RestartPolicy policy = restart == null ? config.restart() : policy(restart);
        Report report;
        try (Reconcile reconcile = ctx.reconcile(config)) {
            report = reconcile
                    .run(Reconcile.Request.sync(policy, dryRun, Optional.ofNullable(target)))
                    .report();
        } catch (NoCaFoundException e) {
            throw new CliException(ExitCodes.NO_CA, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        if (json) ctx.out().println(Json.write(report.toJson()));
        else ReportText.print(ctx.out(), report, dryRun ? "dry run" : "synced");
        return ExitCodes.of(report);
    }

    private static Config.RestartPolicy policy(String word) {
        return switch (word) {
            case "auto" -> Config.RestartPolicy.AUTO;
            case "always" -> Config.RestartPolicy.ALWAYS;
            case "never" -> Config.RestartPolicy.NEVER;
            default ->
                throw new CliException(
                        ExitCodes.USAGE, "--restart: expected auto, always or never, got \"" + word + "\"");
        };
    }
}
