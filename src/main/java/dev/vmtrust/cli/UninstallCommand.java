package dev.vmtrust.cli;

import dev.vmtrust.config.Locations;
import dev.vmtrust.platform.SafeText;
import dev.vmtrust.reconcile.NoCaFoundException;
import dev.vmtrust.reconcile.Reconcile;
import dev.vmtrust.reconcile.Report;
import dev.vmtrust.service.ServiceException;
import dev.vmtrust.service.UninstallResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vmtrust uninstall [--purge]}: stops and removes the agent; with --purge also removes vmtrust's
 * provision entries from every YAML and its CA files from every running VM. Quiet when nothing is installed.
 */
@Command(
        name = "uninstall",
        description = "Stop and remove the agent; --purge also removes vmtrust's entries and CAs from VMs.")
final class UninstallCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Option(names = "--purge", description = "also remove provision entries and the CA files vmtrust put in VMs")
    boolean purge;

    private final Context ctx;

    UninstallCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path launcher = ctx.env().get("VMTRUST_LAUNCHER").map(Path::of).orElse(Path.of("vmtrust"));
        UninstallResult r;
        try {
            r = ctx.services().forLauncher(launcher.toAbsolutePath()).uninstall();
        } catch (ServiceException e) {
            throw new CliException(ExitCodes.UNEXPECTED, e.getMessage());
        }
        ctx.out().println(SafeText.escapeLines(r.text()));
        if (!purge) return ExitCodes.OK;
        Report report;
        try (Reconcile reconcile = ctx.reconcile(cli.config())) {
            report = reconcile.run(Reconcile.Request.purge()).report();
        } catch (NoCaFoundException e) {
            throw new IllegalStateException("a purge collects no CA set", e);
        }
        ReportText.print(ctx.out(), report, "purged");
        if (ExitCodes.of(report) != ExitCodes.OK)
            return ExitCodes.of(report); // keep the state: status shows what failed
        Locations locations = new Locations(ctx.env());
        List<Path> removed = PurgeFiles.remove(
                locations.stateDir(),
                locations.logDir(),
                ctx.env().get("VMTRUST_LAUNCHER").map(Path::of));
        ctx.out()
                .println(
                        removed.isEmpty()
                                ? "no vmtrust files left on this machine"
                                : "removed vmtrust's files on this machine: "
                                        + removed.stream()
                                                .map(Path::toString)
                                                .collect(java.util.stream.Collectors.joining(", ")));
        return ExitCodes.OK;
    }
}
